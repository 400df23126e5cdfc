"""What the extension keeps per app, in ``app.extensions["forum"]``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app
from flask_sqlalchemy import SQLAlchemy

from .config import Settings

if TYPE_CHECKING:
    from .extension import Forum

EXTENSION_NAME = "forum"


@dataclass(frozen=True)
class ForumState:
    forum: Forum
    db: SQLAlchemy
    settings: Settings


def get_state() -> ForumState:
    """The forum state of the current app."""
    return current_app.extensions[EXTENSION_NAME]
