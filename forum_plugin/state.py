"""What the extension keeps per app, in ``app.extensions["forum"]``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import Session

from .config import Settings

if TYPE_CHECKING:
    from .extension import Forum
    from .limits import RateLimits

EXTENSION_NAME = "forum"
NOT_SET_UP = "forum_plugin is not set up on this app: call Forum(app) or forum.init_app(app)"


@dataclass
class ForumState:
    """One app's forum. ``db`` is None until the app first runs when
    ``init_app`` had none to use: the host may set Flask-SQLAlchemy up later."""

    forum: Forum
    settings: Settings
    limiter: RateLimits
    db: SQLAlchemy | None = None
    setup_finished: bool = False


def get_state() -> ForumState:
    """The forum state of the current app.

    :raises RuntimeError: when the forum is not set up on the current app.
    """
    app = current_app._get_current_object()
    state = app.extensions.get(EXTENSION_NAME)
    if state is None:
        raise RuntimeError(NOT_SET_UP)
    if not state.setup_finished:
        state.forum._finish_setup(app)
    return state


def database() -> SQLAlchemy:
    """The current app's Flask-SQLAlchemy: the host's, or the forum's own."""
    db = get_state().db
    if db is None:  # get_state() has finished the setup, which always sets it
        raise RuntimeError(NOT_SET_UP)
    return db


def db_session() -> Session:
    """The current app's database session: the one Flask-SQLAlchemy's
    ``db.session`` stands for in this app context."""
    return database().session()
