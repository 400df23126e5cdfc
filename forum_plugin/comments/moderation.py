"""Moderators' decisions: moving comments between statuses, one at a time
or in bulk, and restoring removed ones to where they were."""

from __future__ import annotations

from typing import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from .. import reasons, signals
from ..audit import Actor, comment_event
from ..models import Comment, Flag, ModerationEvent, Status, utcnow
from ..reasons import Given
from ..vocabulary import Action, AuditAction
from .counts import adjust_counts
from .signalling import send
from .unrendered import render_if_unrendered

REMOVED = tuple(status for status in Status if status.removed)

# The actions by value, for views checking what a form asks for.
ACTIONS: dict[str, Status | None] = {action.value: action.target for action in Action}


def _restore_targets(session: Session, comments: Sequence[Comment]) -> dict[int, Status]:
    """Where each removed comment was before it was removed (pending if unknown)."""
    removed = {c.id: c.status for c in comments if c.status in REMOVED}
    targets = dict.fromkeys(removed, Status.PENDING)
    if not removed:
        return targets
    events = session.execute(
        select(ModerationEvent.comment_id, ModerationEvent.from_status, ModerationEvent.to_status)
        .where(ModerationEvent.comment_id.in_(list(removed)))
        .order_by(ModerationEvent.id.desc())
    ).all()
    decided: set[int] = set()
    for comment_id, from_status, to_status in events:
        # Every row asked for names one of the removed comments.
        assert comment_id is not None
        if comment_id in decided or to_status != removed[comment_id]:
            continue
        decided.add(comment_id)
        if from_status and from_status not in REMOVED:
            targets[comment_id] = Status(from_status)
    return targets


def _clear_reports(session: Session, comments: Sequence[Comment]) -> dict[int, int]:
    """Mark the open reports of ``comments`` answered by an approval; how many each had."""
    ids = [c.id for c in comments]
    if not ids:
        return {}
    open_reports = Flag.cleared_at.is_(None)
    counts: dict[int, int] = dict(
        session.execute(
            select(Flag.comment_id, func.count())
            .where(Flag.comment_id.in_(ids), open_reports)
            .group_by(Flag.comment_id)
        ).all()
    )
    if counts:
        session.execute(
            update(Flag).where(Flag.comment_id.in_(list(counts)), open_reports).values(cleared_at=utcnow()),
            execution_options={"synchronize_session": False},
        )
    for comment in comments:
        comment.flag_count = 0
    return counts


def _with_cleared(why: tuple[Given, ...], cleared: int) -> tuple[Given, ...]:
    return (*why, reasons.cleared_reports(cleared)) if cleared else why


def move(
    session: Session, moves: Sequence[tuple[Comment, Status]], action: Action | AuditAction, by: Actor, reason: Given
) -> list[Comment]:
    """Move each comment to its status, with audit events and counts, in one transaction.

    An approval answers the readers' reports so far: they are marked
    cleared (and the event says how many), and only new ones count toward
    the threshold again.
    """
    why = (reason,) if reason else ()
    moving = [(comment, to_status) for comment, to_status in moves if comment.status != to_status]
    cleared = _clear_reports(session, [c for c, to_status in moving if to_status == Status.APPROVED])
    for comment, to_status in moving:
        from_status = comment.status
        if from_status in REMOVED and to_status not in REMOVED:
            render_if_unrendered(comment)
        comment.status = to_status.value
        if why:
            comment.reasons = why
        session.add(comment_event(comment, by, action, from_status, _with_cleared(why, cleared.get(comment.id, 0))))
        adjust_counts(session, comment.thread_id, from_status, to_status.value)
    session.commit()
    for comment, to_status in moving:
        signal = signals.on_reaching(to_status)
        if signal is not None:
            send(signal, comment)
    return [comment for comment, _ in moving]


def moderate(
    session: Session, comments: Sequence[Comment], action: Action | str, *, by: Actor, reason: Given = ""
) -> list[Comment]:
    """Apply ``action`` (an :class:`~forum_plugin.vocabulary.Action` or its
    value) to ``comments`` in one transaction, for ``reason`` (a moderator's
    own words, or one the forum wrote) if given.

    Comments already where the action would put them are left alone, as is
    "restore" on a comment that was never removed. Returns those changed.
    """
    action = Action(action)
    target = action.target
    if target is None:
        restore_to = _restore_targets(session, comments)
        moves = [(c, restore_to[c.id]) for c in comments if c.id in restore_to]
    else:
        moves = [(c, target) for c in comments]
    return move(session, moves, action, by, reason)


def approve(session: Session, comment: Comment, *, by: Actor) -> None:
    moderate(session, [comment], Action.APPROVE, by=by)


def reject(session: Session, comment: Comment, *, by: Actor) -> None:
    moderate(session, [comment], Action.REJECT, by=by)
