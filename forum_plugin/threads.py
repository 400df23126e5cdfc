"""The read side: threads, a thread's page of comments as a tree, counts.

Reading never writes: a thread's row is made or updated by the write side
(:mod:`forum_plugin.comments.threads`), when a comment is posted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, NamedTuple, Sequence

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from . import tree
from .config import DEFAULT_SETTINGS
from .models import Comment, Status, Thread
from .paging import Cursor, beyond, ordering
from .sql import existing

MAX_KEY_LENGTH = 255
MAX_TITLE_LENGTH = 300
MAX_URL_LENGTH = 2000


def check_key(key: str) -> str:
    """Return ``key`` if it can name a thread, else raise :class:`ValueError`."""
    if not isinstance(key, str) or not key.strip():
        raise ValueError("a thread key must be a non-empty string")
    if len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"a thread key may have at most {MAX_KEY_LENGTH} characters")
    return key


def get_thread(session: Session, key: str) -> Thread | None:
    return session.scalars(select(Thread).where(Thread.key == key)).one_or_none()


@dataclass(frozen=True)
class Place:
    """A host page that shows a comment section: the thread's key, and the
    page's title and URL as the host passed them."""

    key: str
    title: str
    url: str

    @classmethod
    def of(cls, thread: Thread) -> Place:
        return cls(thread.key, thread.title, thread.url)


def page_place(key: str, title: str | None, url: str) -> Place:
    """The place a host page names, cut to what a thread's row holds.

    :raises ValueError: when ``key`` cannot name a thread.
    """
    check_key(key)
    return Place(key, (title or key)[:MAX_TITLE_LENGTH], url[:MAX_URL_LENGTH])


@dataclass(frozen=True)
class PageRequest:
    """Which page of top-level comments a reader asked for."""

    after: Cursor | None = None
    before: Cursor | None = None
    newest_first: bool = False


@dataclass
class ThreadPage:
    thread: Thread | None
    items: list[tree.TreeItem[PageComment]] = field(default_factory=list)
    trailing_closes: int = 0
    pending_ids: frozenset[int] = frozenset()
    next_cursor: Cursor | None = None
    previous_cursor: Cursor | None = None


# Unpublished comments their authors see on the page as their own pending ones.
OWN_UNPUBLISHED = tuple(status for status in Status if status.author_sees_pending)


def visible_with_placeholders(
    comments: Sequence[PageComment], own_ids: frozenset[int]
) -> tuple[list[PageComment], set[int]]:
    """Keep what a reader may see: approved comments, their own unpublished
    ones, and, as placeholders, removed comments that still have a visible
    reply under them. Returns the kept comments and the placeholders' ids."""

    approved = Status.APPROVED.value
    if all(c.status == approved for c in comments):
        return list(comments), set()
    shown = {c.id for c in comments if c.status == approved or c.id in own_ids}
    present = {c.id for c in comments}
    has_shown_reply: set[int] = set()
    # Deepest first, so every reply is looked at before its parent.
    for comment in sorted(comments, key=lambda c: c.depth, reverse=True):
        if comment.parent_id in present and (comment.id in shown or comment.id in has_shown_reply):
            has_shown_reply.add(comment.parent_id)
    placeholders = has_shown_reply - shown
    return [c for c in comments if c.id in shown or c.id in placeholders], placeholders


class PageComment(NamedTuple):
    """A comment as a page shows it. A page is read-only: these tuples load
    several times faster than ORM objects and read the same (``c.id``,
    ``c.body_html``), and the template reads each field many times, which
    costs a tenth of what it costs on a database row."""

    id: int
    parent_id: int | None
    root_id: int | None
    depth: int
    status: str
    author_name: str
    author_id: str | None
    body_html: str
    created_at: datetime
    edit_pending: bool
    # Loaded only for Gravatar pictures, never to be shown.
    author_email: str | None = None


_PAGE_COLUMNS = [getattr(Comment, name) for name in PageComment._fields if name != "author_email"]
_REPLY = aliased(Comment)
# Built once: constructing an aliased EXISTS costs more than running it.
_HAS_PUBLISHED_REPLY = (
    select(_REPLY.id).where(_REPLY.root_id == Comment.id, _REPLY.status == Status.APPROVED.value).exists()
)
_SHOWN_ROOT: ColumnElement[bool] = (Comment.depth == 0) & (
    (Comment.status == Status.APPROVED.value) | _HAS_PUBLISHED_REPLY
)


def _read(session: Session, query: Select[Any]) -> Iterable[Sequence[Any]]:
    """Rows of a column query, straight from the session's connection: a
    page's thousand rows skip the ORM's result processing."""
    return session.connection().execute(query)


def _shown_roots(thread: Thread) -> ColumnElement[bool]:
    """Top-level comments a page lists: approved ones, and removed ones that
    still hold published replies (shown as placeholders)."""
    return (Comment.thread_id == thread.id) & _SHOWN_ROOT


def _root_page(
    session: Session, thread: Thread, wanted: PageRequest, per_page: int, columns: list[ColumnElement[Any]]
) -> tuple[list[PageComment], Cursor | None, Cursor | None]:
    """One page of top-level comments: approved ones, and removed ones that
    still hold published replies. Returns the roots and the cursors around them."""
    backwards = wanted.before is not None
    descending = wanted.newest_first != backwards
    query = select(*columns).where(_shown_roots(thread))
    cursor = wanted.before or wanted.after
    if cursor is not None:
        query = query.where(beyond(Comment, cursor, descending))
    rows = [
        PageComment(*row) for row in _read(session, query.order_by(*ordering(Comment, descending)).limit(per_page + 1))
    ]
    more = len(rows) > per_page
    roots = rows[:per_page]
    if backwards:
        roots.reverse()
    if not roots:
        return roots, None, None
    next_cursor = Cursor.of(roots[-1]) if (more and not backwards) or (backwards and cursor) else None
    previous_cursor = Cursor.of(roots[0]) if (more and backwards) or (not backwards and cursor) else None
    return roots, next_cursor, previous_cursor


def load_page(
    session: Session,
    thread: Thread | None,
    *,
    max_depth: int,
    per_page: int = DEFAULT_SETTINGS.per_page,
    wanted: PageRequest = PageRequest(),
    own_pending_ids: Iterable[int] = (),
    with_emails: bool = False,
) -> ThreadPage:
    """One page of ``thread``: ``per_page`` top-level comments with every
    reply under them as a tree, the reader's own pending comments, and
    placeholders for removed comments that still hold published replies.
    Two statements, whatever the thread's size or depth."""
    if thread is None:
        return ThreadPage(None)
    columns = [*_PAGE_COLUMNS, Comment.author_email] if with_emails else _PAGE_COLUMNS
    roots, next_cursor, previous_cursor = _root_page(session, thread, wanted, per_page, columns)
    own_pending_ids = list(own_pending_ids)
    root_ids = [c.id for c in roots]
    # The roots again, so that the database returns the page in one order.
    wanted_rows: list[ColumnElement[bool]] = [Comment.id.in_(root_ids), Comment.root_id.in_(root_ids)]
    # The reader's own new top-level comments belong where new comments go:
    # the last page, or the first when the newest come first.
    on_newest_page = previous_cursor is None if wanted.newest_first else next_cursor is None
    if own_pending_ids and on_newest_page:
        wanted_rows.append(
            Comment.id.in_(own_pending_ids)
            & (Comment.thread_id == thread.id)
            & (Comment.depth == 0)
            & Comment.status.in_([s.value for s in OWN_UNPUBLISHED])
        )
    rows = [
        PageComment(*row)
        for row in _read(session, select(*columns).where(or_(*wanted_rows)).order_by(Comment.created_at, Comment.id))
    ]
    own_ids = set(own_pending_ids)
    own = frozenset(c.id for c in rows if c.id in own_ids and c.status in OWN_UNPUBLISHED)
    comments, placeholders = visible_with_placeholders(rows, own)
    if wanted.newest_first:
        comments = _newest_roots_first(comments)
    items = tree.build(comments, max_depth, placeholders)
    return ThreadPage(thread, items, tree.trailing_closes(items), own, next_cursor, previous_cursor)


def _newest_roots_first(comments: list[PageComment]) -> list[PageComment]:
    """Top-level comments newest first; replies keep their conversation order."""
    roots = [c for c in comments if c.parent_id is None]
    replies = [c for c in comments if c.parent_id is not None]
    return [*reversed(roots), *replies]


def thread_fits_one_page(thread: Thread, per_page: int) -> bool:
    """Whether every top-level comment is on the first page, known without a
    query: there are fewer comments of any status than fit on a page."""
    comments: int = sum(getattr(thread, Thread.count_column(s.value)) for s in Status)
    return comments < per_page


def page_holding(
    session: Session, thread: Thread, comment_id: int, *, per_page: int, newest_first: bool
) -> PageRequest | None:
    """The page a permalink to ``comment_id`` should open on, however deep it
    is: the page of its top-level comment. None when it is not in ``thread``."""
    comment = session.get(Comment, comment_id)
    if comment is None or comment.thread_id != thread.id:
        return None
    if thread_fits_one_page(thread, per_page):
        return PageRequest(newest_first=newest_first)
    root = existing(session, Comment, comment.root_id) if comment.root_id else comment
    before_it = (
        select(func.count())
        .select_from(Comment)
        .where(_shown_roots(thread), beyond(Comment, Cursor.of(root), descending=not newest_first))
    )
    position = session.scalar(before_it) or 0
    start = (position // per_page) * per_page
    if start == 0:
        return PageRequest(newest_first=newest_first)
    boundary = session.execute(
        select(Comment.created_at, Comment.id)
        .where(_shown_roots(thread))
        .order_by(*ordering(Comment, newest_first))
        .offset(start - 1)
        .limit(1)
    ).one()
    return PageRequest(after=Cursor.of(boundary), newest_first=newest_first)


def permalink_prefix(thread_url: str) -> str:
    """What :func:`permalink` puts before the comment's id."""
    separator = "&" if "?" in thread_url else "?"
    return f"{thread_url}{separator}forum_comment="


def permalink(thread_url: str, comment_id: int) -> str:
    """A link to a comment that opens the page holding it, however long the thread."""
    return f"{permalink_prefix(thread_url)}{comment_id}#comment-{comment_id}"


def comment_counts(session: Session, keys: Sequence[str]) -> dict[str, int]:
    """Approved comments per thread key, in one statement; unknown keys count 0."""
    counts = dict.fromkeys(keys, 0)
    if keys:
        rows = session.execute(select(Thread.key, Thread.approved_count).where(Thread.key.in_(list(set(keys)))))
        counts.update({key: count for key, count in rows})
    return counts
