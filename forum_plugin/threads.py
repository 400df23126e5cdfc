"""The read side: threads, a thread's page of comments as a tree, counts, the queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

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


def load_page(
    session: Session,
    thread: Thread | None,
    *,
    max_depth: int,
    own_pending_ids: Iterable[int] = (),
) -> ThreadPage:
    """Approved comments of ``thread`` as a tree, plus the reader's own
    pending ones, in two statements whatever the size or depth."""
    if thread is None:
        return ThreadPage(None)
    roots = session.scalars(
        select(Comment)
        .where(Comment.thread_id == thread.id, Comment.status == Status.APPROVED, Comment.depth == 0)
        .order_by(Comment.created_at, Comment.id)
    ).all()
    own_pending_ids = list(own_pending_ids)
    shown = [Comment.root_id.in_([c.id for c in roots]) & (Comment.status == Status.APPROVED)]
    if own_pending_ids:
        shown.append(
            Comment.id.in_(own_pending_ids) & (Comment.thread_id == thread.id) & (Comment.status == Status.PENDING)
        )
    rest = session.scalars(select(Comment).where(or_(*shown)).order_by(Comment.created_at, Comment.id)).all()
    comments = sorted([*roots, *rest], key=lambda c: (c.created_at, c.id))
    items = tree.build(comments, max_depth)
    pending = frozenset(c.id for c in rest if c.status == Status.PENDING)
    return ThreadPage(thread, items, tree.trailing_closes(items), pending)


def comment_counts(session: Session, keys: Sequence[str]) -> dict[str, int]:
    """Approved comments per thread key, in one statement; unknown keys count 0."""
    counts = dict.fromkeys(keys, 0)
    if keys:
        rows = session.execute(select(Thread.key, Thread.approved_count).where(Thread.key.in_(list(set(keys)))))
        counts.update({key: count for key, count in rows})
    return counts


def pending_queue(session: Session, limit: int = 50) -> Sequence[Comment]:
    """The oldest pending comments first, with their threads."""
    return session.scalars(
        select(Comment)
        .where(Comment.status == Status.PENDING)
        .options(joinedload(Comment.thread))
        .order_by(Comment.created_at, Comment.id)
        .limit(limit)
    ).all()
