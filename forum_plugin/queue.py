"""The moderators' read side: the dashboard's pages of comments, tab counts,
reports, authors' records and the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, contains_eager

from . import author_record
from .models import Comment, Flag, ModerationEvent, Revision, Status, Thread
from .paging import Cursor, beyond, ordering
from .textmatch import escape_like

PAGE_SIZE = 50


# The dashboard's tab of held edits: its ``status`` parameter, and its key in the tab counts.
HELD_EDITS = "edits"


@dataclass(frozen=True)
class QueueFilter:
    """Which comments a dashboard page lists: a status, or (``held_edits``)
    published comments whose authors' edits wait for a moderator."""

    status: Status = Status.PENDING
    held_edits: bool = False
    thread_key: str | None = None
    search: str | None = None
    newest_first: bool = False
    after: Cursor | None = None


@dataclass
class QueuePage:
    comments: Sequence[Comment]
    next_cursor: Cursor | None
    flags: dict[int, list[str]] = field(default_factory=dict)
    history: dict[int, tuple[int, int]] = field(default_factory=dict)


def status_counts(session: Session, thread_key: str | None = None) -> dict[str, int]:
    """Comments per status, read off the threads' kept counts, and held edits
    (an index count): one statement, no scan of the comments."""
    columns = [func.coalesce(func.sum(getattr(Thread, Thread.count_column(s.value))), 0) for s in Status]
    held = select(func.count()).select_from(Comment).where(Comment.edit_pending.is_(True))
    query = select(*columns, held.scalar_subquery())
    if thread_key:
        query = query.where(Thread.key == thread_key)
    *by_status, edits = session.execute(query).one()
    counts = {status.value: int(count) for status, count in zip(Status, by_status, strict=True)}
    counts[HELD_EDITS] = int(edits or 0)
    return counts


def page(session: Session, wanted: QueueFilter, limit: int = PAGE_SIZE) -> QueuePage:
    """One page of comments in ``wanted.status``, keyset-paginated so the
    hundredth page costs what the first does."""
    query = (
        select(Comment)
        .join(Comment.thread)
        .options(contains_eager(Comment.thread))
        .where(Comment.edit_pending.is_(True) if wanted.held_edits else Comment.status == wanted.status.value)
    )
    if wanted.thread_key:
        query = query.where(Thread.key == wanted.thread_key)
    if wanted.search:
        pattern = f"%{escape_like(wanted.search.casefold())}%"
        query = query.where(
            or_(
                *(
                    func.lower(column).like(pattern, escape="\\")
                    for column in (Comment.body_markdown, Comment.author_name, Comment.author_email)
                )
            )
        )
    if wanted.after is not None:
        query = query.where(beyond(Comment, wanted.after, wanted.newest_first))
    rows = session.scalars(query.order_by(*ordering(Comment, wanted.newest_first)).limit(limit + 1)).all()
    comments, more = rows[:limit], len(rows) > limit
    next_cursor = Cursor.of(comments[-1]) if more else None
    return QueuePage(
        comments, next_cursor, flags_for(session, comments), author_record.dashboard_records(session, comments)
    )


def flags_for(session: Session, comments: Sequence[Comment]) -> dict[int, list[str]]:
    """Readers' open report reasons per comment, for the comments that have
    any: reports a moderator's approval answered are history, not news."""
    reported = [c.id for c in comments if c.flag_count]
    flags: dict[int, list[str]] = {}
    if reported:
        rows = session.execute(
            select(Flag.comment_id, Flag.reason)
            .where(Flag.comment_id.in_(reported), Flag.cleared_at.is_(None))
            .order_by(Flag.id)
        )
        for comment_id, reason in rows:
            flags.setdefault(comment_id, []).append(reason)
    return flags


def reports(session: Session, comment_id: int) -> Sequence[Flag]:
    """Every report of one comment, answered or open, oldest first."""
    return session.scalars(select(Flag).where(Flag.comment_id == comment_id).order_by(Flag.id)).all()


def revisions(session: Session, comment_id: int) -> Sequence[Revision]:
    return session.scalars(select(Revision).where(Revision.comment_id == comment_id).order_by(Revision.id)).all()


@dataclass(frozen=True)
class LogFilter:
    comment_id: int | None = None
    moderator_id: str | None = None
    before: int | None = None


def audit_log(
    session: Session, wanted: LogFilter, limit: int = PAGE_SIZE
) -> tuple[Sequence[ModerationEvent], int | None]:
    """Moderation events newest first, and the id to continue from (if more)."""
    query = select(ModerationEvent)
    if wanted.comment_id is not None:
        query = query.where(ModerationEvent.comment_id == wanted.comment_id)
    if wanted.moderator_id is not None:
        query = query.where(ModerationEvent.actor_id == wanted.moderator_id)
    if wanted.before is not None:
        query = query.where(ModerationEvent.id < wanted.before)
    rows = session.scalars(query.order_by(ModerationEvent.id.desc()).limit(limit + 1)).all()
    return rows[:limit], (rows[limit - 1].id if len(rows) > limit else None)
