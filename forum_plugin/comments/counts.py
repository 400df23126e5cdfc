"""The comment counts kept on each thread's row, per status, moved in the
same transaction as the comments they count."""

from __future__ import annotations

from sqlalchemy import ColumnElement, ScalarSelect, func, select, update
from sqlalchemy.orm import Session

from ..models import Comment, Status, Thread


def _count_delta(old: str | None, new: str) -> dict[str, ColumnElement[int]]:
    """The thread column updates that move one comment from ``old`` to ``new``."""
    values = {}
    if old is not None:
        values[Thread.count_column(old)] = getattr(Thread, Thread.count_column(old)) - 1
    values[Thread.count_column(new)] = getattr(Thread, Thread.count_column(new)) + 1
    return values


def adjust_counts(session: Session, thread_id: int, old: str | None, new: str) -> None:
    """Move one comment of ``thread_id`` from status ``old`` (None: a new comment) to ``new``."""
    if old != new:
        session.execute(update(Thread).where(Thread.id == thread_id).values(**_count_delta(old, new)))


def recount_threads(session: Session, thread_ids: set[int]) -> None:
    """Count the comments of ``thread_ids`` per status again, after bulk changes."""

    def counted(status: Status) -> ScalarSelect[int]:
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
