"""The write side: posting and moderating comments.

Each public function is one transaction: it changes the comment, keeps the
thread's counts, appends an audit event, commits, and only then sends its
signal, so receivers never see work that could still roll back.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from . import markup, policy, signals
from .models import Comment, ModerationEvent, Status, Thread


class ParentError(ValueError):
    """A reply names a parent it cannot hang under; the message is for the reader."""


@dataclass(frozen=True)
class Actor:
    """Who made a moderation decision: an account, or a policy rule (no id)."""

    id: str | None
    name: str


POLICY = Actor(None, "policy")

_TRANSITION_SIGNALS = {
    Status.APPROVED: signals.comment_approved,
    Status.REJECTED: signals.comment_rejected,
    Status.DELETED: signals.comment_deleted,
}


def find_parent(session: Session, thread: Thread, parent_id: int) -> Comment:
    """The approved comment of ``thread`` a reply answers.

    :raises ParentError: when there is none.
    """
    parent = session.get(Comment, parent_id)
    if parent is None:
        raise ParentError("The comment you are replying to does not exist.")
    if parent.thread_id != thread.id:
        raise ParentError("The comment you are replying to belongs to another page.")
    if parent.status != Status.APPROVED:
        raise ParentError("The comment you are replying to is not published, so it cannot be answered.")
    return parent


def _count_delta(old: str | None, new: str) -> dict:
    """The thread column updates that move one comment from ``old`` to ``new``."""
    values = {}
    if old is not None:
        values[Thread.count_column(old)] = getattr(Thread, Thread.count_column(old)) - 1
    values[Thread.count_column(new)] = getattr(Thread, Thread.count_column(new)) + 1
    return values


def _adjust_counts(session: Session, thread_id: int, old: str | None, new: str) -> None:
    if old != new:
        values = _count_delta(old, new)
        session.execute(update(Thread).where(Thread.id == thread_id).values(**values))


def recount_threads(session: Session, thread_ids: set[int]) -> None:
    """Count the approved and pending comments of ``thread_ids`` again, after bulk changes."""

    def counted(status: Status):
        return (
            select(func.count())
            .select_from(Comment)
            .where(Comment.thread_id == Thread.id, Comment.status == status.value)
            .scalar_subquery()
        )

    ids = sorted(thread_ids)
    for start in range(0, len(ids), 500):
        session.execute(
            update(Thread)
            .where(Thread.id.in_(ids[start : start + 500]))
            .values({Thread.count_column(status.value): counted(status) for status in Status})
        )


def _send(signal, comment: Comment) -> None:
    signal.send(current_app._get_current_object(), comment=comment)


def post(
    session: Session,
    thread: Thread,
    draft: policy.Draft,
    *,
    parent_id: int | None,
    mode: str,
    sanitizer: str,
    rules: tuple[policy.Rule, ...] = policy.DEFAULT_RULES,
) -> Comment:
    """Store a new comment or reply with the status the policy gives it.

    :raises ParentError: when ``parent_id`` names no approved comment of
        ``thread``; nothing is stored then.
    """
    parent = find_parent(session, thread, parent_id) if parent_id is not None else None
    decision = policy.decide(draft, mode, rules)
    comment = Comment(
        thread_id=thread.id,
        parent_id=parent.id if parent else None,
        root_id=(parent.root_id or parent.id) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        status=decision.status.value,
        moderation_reason=decision.reason[:500],
        author_id=draft.author_id,
        author_name=draft.author_name,
        author_email=draft.author_email,
        ip_hash=draft.ip_hash,
        body_markdown=draft.body,
        body_html=markup.render(draft.body, sanitizer),
    )
    session.add(comment)
    session.flush()
    session.add(
        ModerationEvent(
            comment_id=comment.id,
            actor_id=POLICY.id,
            actor_name=POLICY.name,
            action="post",
            from_status=None,
            to_status=comment.status,
            reason=comment.moderation_reason,
        )
    )
    _adjust_counts(session, thread.id, None, comment.status)
    session.commit()
    _send(signals.comment_posted, comment)
    if comment.status == Status.APPROVED:
        _send(signals.comment_approved, comment)
    return comment


def moderate(session: Session, comment: Comment, to_status: Status, *, by: Actor, action: str, reason: str = "") -> None:
    """Move ``comment`` to ``to_status`` on behalf of ``by``, with an audit event."""
    from_status = comment.status
    if from_status == to_status:
        return
    comment.status = to_status.value
    session.add(
        ModerationEvent(
            comment_id=comment.id,
            actor_id=by.id,
            actor_name=by.name[:100],
            action=action,
            from_status=from_status,
            to_status=to_status.value,
            reason=reason[:500],
        )
    )
    _adjust_counts(session, comment.thread_id, from_status, to_status)
    session.commit()
    if to_status in _TRANSITION_SIGNALS:
        _send(_TRANSITION_SIGNALS[to_status], comment)


def approve(session: Session, comment: Comment, *, by: Actor) -> None:
    moderate(session, comment, Status.APPROVED, by=by, action="approve")


def reject(session: Session, comment: Comment, *, by: Actor) -> None:
    moderate(session, comment, Status.REJECTED, by=by, action="reject")

