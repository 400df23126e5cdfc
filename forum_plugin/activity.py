"""The read side across threads: the newest approved comments (the forum
index, the Atom feeds) and the threads most talked about lately.

Every function is one statement over approved comments only, so nothing
held, rejected or removed can leak onto a public page, and the columns
read never include an email or an address hash. Imports no Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Comment, Status, Thread


class ListedComment(NamedTuple):
    """What public listings may show of a comment, with its thread: never
    author_email, ip_hash or the moderation reasons."""

    id: int
    parent_id: int | None
    depth: int
    author_name: str
    body_html: str
    created_at: datetime
    updated_at: datetime
    thread_key: str
    thread_title: str
    thread_url: str


_THREAD_PREFIX = "thread_"
_LISTED_COLUMNS = [
    getattr(Thread, name.removeprefix(_THREAD_PREFIX)).label(name)
    if name.startswith(_THREAD_PREFIX)
    else getattr(Comment, name)
    for name in ListedComment._fields
]


def latest_approved(session: Session, *, limit: int, thread: Thread | None = None) -> list[ListedComment]:
    """The ``limit`` newest approved comments, newest first, each with its
    thread's key, title and URL; across the site, or in ``thread`` alone."""
    query = (
        select(*_LISTED_COLUMNS)
        .join(Thread, Thread.id == Comment.thread_id)
        .where(Comment.status == Status.APPROVED.value)
    )
    if thread is not None:
        query = query.where(Comment.thread_id == thread.id)
    query = query.order_by(Comment.created_at.desc(), Comment.id.desc()).limit(limit)
    return [ListedComment(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class ActiveThread:
    """A thread and how many approved comments were written in it lately."""

    key: str
    title: str
    url: str
    recent_count: int
    last_comment_at: datetime


def most_active(session: Session, *, since: datetime, limit: int) -> list[ActiveThread]:
    """The threads with the most approved comments written since ``since``,
    busiest first; ties go to the thread commented on most recently."""
    recent = func.count(Comment.id).label("recent_count")
    last = func.max(Comment.created_at).label("last_comment_at")
    rows = session.execute(
        select(Thread.key, Thread.title, Thread.url, recent, last)
        .join(Comment, Comment.thread_id == Thread.id)
        .where(Comment.status == Status.APPROVED.value, Comment.created_at >= since)
        # Every selected column is grouped, as PostgreSQL and strict MySQL modes ask.
        .group_by(Thread.id, Thread.key, Thread.title, Thread.url)
        .order_by(recent.desc(), last.desc(), Thread.id)
        .limit(limit)
    ).all()
    return [ActiveThread(row.key, row.title, row.url, row.recent_count, row.last_comment_at) for row in rows]


class _TextOnly(HTMLParser):
    """Collects the text of sanitized HTML; every tag becomes a space, so
    "<p>one</p><p>two</p>" reads "one two", not "onetwo"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def excerpt(html: str, length: int = 200) -> str:
    """The plain text of a comment's HTML, cut near ``length`` characters at
    a word boundary, with an ellipsis when cut. The result is text, to be
    escaped by whoever shows it."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    text = " ".join("".join(parser.parts).split())
    if len(text) <= length:
        return text
    cut = text[:length]
    space = cut.rfind(" ")
    if space > length * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"
