"""The audit log's rows, built in one place.

Everything the log records (a post and the policy's decision, a moderator's
action, an author's edit, a ban, a change to the word lists, an erase, an
import) makes its row with :func:`event`, so that the columns are always
filled the same way: who acted, cut to what the table stores; the comment or
ban concerned, if any; the statuses before and after; and why, cut likewise.

This module sits below the write side (``comments``, ``bans``,
``personal_data``, the importer) and imports none of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .models import Comment, ModerationEvent
from .reasons import Given
from .vocabulary import Action, AuditAction

# What the audit table's columns hold at most.
ACTOR_NAME_LENGTH = 100
# The status recorded for an event that moves no comment (a ban, a word, an erase's summary).
NO_STATUS = ""


@dataclass(frozen=True)
class Actor:
    """Who made a moderation decision: an account, or a rule (no id)."""

    id: str | None
    name: str


POLICY = Actor(None, "policy")
READERS = Actor(None, "readers")
IMPORTER = Actor(None, "import")


def event(
    by: Actor,
    action: AuditAction | Action,
    *,
    comment: Comment | int | None = None,
    ban_id: int | None = None,
    from_status: str | None = None,
    to_status: str = NO_STATUS,
    why: Sequence[Given] = (),
) -> ModerationEvent:
    """One audit row, not yet added to a session.

    ``comment`` is the comment concerned, or its id: a comment not stored
    yet (an import's, before any flush) is linked through the relationship
    and its id filled in when the session flushes.
    """
    comment_id = comment.id if isinstance(comment, Comment) else comment
    row = ModerationEvent(
        comment_id=comment_id,
        ban_id=ban_id,
        actor_id=by.id,
        actor_name=by.name[:ACTOR_NAME_LENGTH],
        action=action.value,
        from_status=from_status,
        to_status=to_status,
        reasons=why,
    )
    if isinstance(comment, Comment) and comment_id is None:
        row.comment = comment
    return row


def comment_event(
    comment: Comment, by: Actor, action: AuditAction | Action, from_status: str | None, why: Sequence[Given]
) -> ModerationEvent:
    """The row for a change to ``comment`` that left it in its current status."""
    return event(by, action, comment=comment, from_status=from_status, to_status=comment.status, why=why)
