"""Signals sent as comments move; the sender is the app, the comment is ``comment=``."""

from __future__ import annotations

from blinker import NamedSignal, Namespace

from .vocabulary import Status

_signals = Namespace()

comment_posted = _signals.signal("comment-posted")
comment_approved = _signals.signal("comment-approved")
comment_rejected = _signals.signal("comment-rejected")
comment_edited = _signals.signal("comment-edited")
comment_deleted = _signals.signal("comment-deleted")
comment_flagged = _signals.signal("comment-flagged")


def on_reaching(status: Status) -> NamedSignal | None:
    """The signal a comment moving to ``status`` sends, named by the status
    (:attr:`~forum_plugin.vocabulary.Status.signal`); None when it sends none."""
    return _signals[status.signal] if status.signal else None
