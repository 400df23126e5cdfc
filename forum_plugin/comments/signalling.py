"""Signals about comments, sent once the change they announce is committed."""

from __future__ import annotations

from blinker import Signal

from ..models import Comment
from ..state import current_flask_app


def send(signal: Signal, comment: Comment) -> None:
    """Send ``signal`` from the current app about ``comment``."""
    signal.send(current_flask_app(), comment=comment)
