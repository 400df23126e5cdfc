"""Readers' reports of published comments: enough of them send a comment
back to the moderation queue. An approval clears them (:mod:`.moderation`)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import reasons, signals
from ..audit import READERS
from ..i18n import gettext
from ..models import Comment, Flag, Status
from ..vocabulary import AuditAction
from .moderation import move
from .signalling import send


class ReportError(ValueError):
    """A report that cannot be taken; the message is for the reader."""


def report(session: Session, comment: Comment, *, reporter: str, reason: str, threshold: int) -> bool:
    """Record one reader's report; at ``threshold`` reports the comment goes back to the queue.

    Returns whether the comment went back to the queue.

    :raises ReportError: when the comment is not published or this reader
        already reported it.
    """
    if comment.status != Status.APPROVED:
        raise ReportError(gettext("Only published comments can be reported."))
    # Count first (an exclusive lock on the comment), then insert the report
    # whose foreign key would otherwise share-lock it: see posting.post().
    session.execute(update(Comment).where(Comment.id == comment.id).values(flag_count=Comment.flag_count + 1))
    session.add(Flag(comment_id=comment.id, reporter=reporter[:80], reason=reason[:200]))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise ReportError(gettext("You have already reported this comment. Thank you.")) from None
    session.commit()
    session.refresh(comment)
    send(signals.comment_flagged, comment)
    if comment.flag_count >= threshold and comment.status == Status.APPROVED:
        move(
            session,
            [(comment, Status.PENDING)],
            AuditAction.REPORT,
            READERS,
            reasons.reported(comment.flag_count),
        )
        return True
    return False
