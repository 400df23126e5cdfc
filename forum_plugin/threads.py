"""The read side: threads, a thread's page of comments as a tree, counts, the queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from . import tree
from .models import Comment, Status, Thread

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


def ensure_thread(session: Session, key: str, title: str | None, url: str) -> Thread:
    """The thread named ``key``, created on first sight, its title and URL
    kept up to date with what the host page passes."""
    check_key(key)
    title = (title or key)[:MAX_TITLE_LENGTH]
    url = url[:MAX_URL_LENGTH]
    thread = get_thread(session, key)
    if thread is None:
        thread = Thread(key=key, title=title, url=url, approved_count=0, pending_count=0)
        session.add(thread)
        try:
            session.commit()
        except IntegrityError:
            # Another request created it first.
            session.rollback()
            thread = get_thread(session, key)
            assert thread is not None
    elif (thread.title, thread.url) != (title, url):
        thread.title, thread.url = title, url
        session.commit()
    return thread


@dataclass
class ThreadPage:
    thread: Thread | None
    items: list[tree.TreeItem] = field(default_factory=list)
    trailing_closes: int = 0
    pending_ids: frozenset[int] = frozenset()


OWN_UNPUBLISHED = (Status.PENDING, Status.SPAM)


def visible_with_placeholders(comments: Sequence[Comment], own_ids: frozenset[int]) -> tuple[list[Comment], set[int]]:
    """Keep what a reader may see: approved comments, their own unpublished
    ones, and, as placeholders, removed comments that still have a visible
    reply under them. Returns the kept comments and the placeholders' ids."""

    def shown(comment: Comment) -> bool:
        return comment.status == Status.APPROVED or comment.id in own_ids

    by_id = {c.id: c for c in comments}
    has_shown_reply: set[int] = set()
    # Deepest first, so every reply is looked at before its parent.
    for comment in sorted(comments, key=lambda c: c.depth, reverse=True):
        if comment.parent_id in by_id and (shown(comment) or comment.id in has_shown_reply):
            has_shown_reply.add(comment.parent_id)
    kept = [c for c in comments if shown(c) or c.id in has_shown_reply]
    return kept, {c.id for c in kept if not shown(c)}


def load_page(
    session: Session,
    thread: Thread | None,
    *,
    max_depth: int,
    own_pending_ids: Iterable[int] = (),
) -> ThreadPage:
    """Approved comments of ``thread`` as a tree, the reader's own pending
    ones, and placeholders for removed comments that still have published
    replies: two statements whatever the size or depth."""
    if thread is None:
        return ThreadPage(None)
    reply = aliased(Comment)
    has_published_reply = (
        select(reply.id).where(reply.root_id == Comment.id, reply.status == Status.APPROVED).exists()
    )
    roots = session.scalars(
        select(Comment)
        .where(
            Comment.thread_id == thread.id,
            Comment.depth == 0,
            (Comment.status == Status.APPROVED) | has_published_reply,
        )
        .order_by(Comment.created_at, Comment.id)
    ).all()
    own_pending_ids = list(own_pending_ids)
    wanted = [Comment.root_id.in_([c.id for c in roots])]
    if own_pending_ids:
        wanted.append(
            Comment.id.in_(own_pending_ids)
            & (Comment.thread_id == thread.id)
            & Comment.status.in_([s.value for s in OWN_UNPUBLISHED])
        )
    rest = session.scalars(select(Comment).where(or_(*wanted)).order_by(Comment.created_at, Comment.id)).all()
    own = frozenset(c.id for c in rest if c.id in set(own_pending_ids) and c.status in OWN_UNPUBLISHED)
    comments, placeholders = visible_with_placeholders(
        sorted({c.id: c for c in [*roots, *rest]}.values(), key=lambda c: (c.created_at, c.id)), own
    )
    items = tree.build(comments, max_depth, placeholders)
    return ThreadPage(thread, items, tree.trailing_closes(items), own)


def comment_counts(session: Session, keys: Sequence[str]) -> dict[str, int]:
    """Approved comments per thread key, in one statement; unknown keys count 0."""
    counts = dict.fromkeys(keys, 0)
    if keys:
        rows = session.execute(select(Thread.key, Thread.approved_count).where(Thread.key.in_(list(set(keys)))))
        counts.update({key: count for key, count in rows})
    return counts
