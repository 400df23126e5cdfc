"""Storing a parsed export: threads, comments with their replies, audit events.

Everything happens in the caller's one transaction, so a failure leaves
nothing half-imported. Comments already imported (same origin) are skipped,
so importing a file twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, markup, reasons, threads
from ..comments.counts import recount_threads
from ..models import Comment, Thread
from ..privacy import hash_ip
from ..vocabulary import AuditAction
from .parsing import ParsedExport
from .records import ImportedComment, ImportedThread

KEY_SOURCES = ("slug", "url", "id")
# Rows per IN (...) list when looking up earlier imports.
_LOOKUP_CHUNK = 500


@dataclass
class ImportReport:
    threads_created: int = 0
    comments_added: int = 0
    already_imported: int = 0
    skipped: int = 0
    orphans: int = 0


def key_by(source: str) -> Callable[[ImportedThread], str]:
    """A thread key made from the old system's ``slug``, ``url`` path or ``id``."""
    if source == "slug":
        return lambda thread: thread.slug
    if source == "url":
        return lambda thread: urlsplit(thread.url).path or "/"
    if source == "id":
        return lambda thread: thread.identifier or thread.source_id
    raise ValueError(f"thread keys come from one of {KEY_SOURCES}, not {source!r}")


def _local_url(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


@dataclass(frozen=True)
class _Placed:
    id: int
    thread_id: int
    root_id: int | None
    depth: int


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _already_imported(session: Session, origins: Sequence[str]) -> dict[str, _Placed]:
    found: dict[str, _Placed] = {}
    for chunk in _chunks(origins, _LOOKUP_CHUNK):
        rows = session.execute(
            select(Comment.origin, Comment.id, Comment.thread_id, Comment.root_id, Comment.depth).where(
                Comment.origin.in_(chunk)
            )
        )
        found.update(
            {
                origin: _Placed(id_, thread_id, root_id, depth)
                for origin, id_, thread_id, root_id, depth in rows
                if origin is not None  # always: the query asks for these origins
            }
        )
    return found


def _parents_first(comments: Iterable[ImportedComment]) -> Iterator[ImportedComment]:
    """Every comment after its parent, without recursion. Comments whose
    parent is neither in the file nor imported before come as top-level."""
    comments = list(comments)
    in_file = {c.origin for c in comments}
    children: dict[str, list[ImportedComment]] = {}
    starts: list[ImportedComment] = []
    for comment in comments:
        parent = comment.parent_origin
        if parent is not None and parent in in_file:
            children.setdefault(parent, []).append(comment)
        else:
            starts.append(comment)
    stack = list(reversed(starts))
    while stack:
        comment = stack.pop()
        yield comment
        stack.extend(reversed(children.get(comment.origin, [])))


def load(
    session: Session,
    parsed: ParsedExport,
    *,
    key_for: Callable[[ImportedThread], str],
    sanitizer: str,
    secret: str | bytes,
    source_name: str,
) -> ImportReport:
    """Add what ``parsed`` holds that is not stored yet. Does not commit."""
    report = ImportReport(skipped=parsed.skipped)
    placed = _already_imported(session, [c.origin for c in parsed.comments])
    report.already_imported = sum(1 for c in parsed.comments if c.origin in placed)
    thread_ids: dict[str, int] = {}

    def thread_id_for(source_id: str) -> int:
        if source_id not in thread_ids:
            source = parsed.threads[source_id]
            key = threads.check_key(key_for(source))
            thread = threads.get_thread(session, key)
            if thread is None:
                thread = Thread(
                    key=key,
                    title=(source.title or key)[: threads.MAX_TITLE_LENGTH],
                    url=_local_url(source.url)[: threads.MAX_URL_LENGTH],
                    approved_count=0,
                    pending_count=0,
                )
                session.add(thread)
                session.flush()
                report.threads_created += 1
            thread_ids[source_id] = thread.id
        return thread_ids[source_id]

    has_children = {c.parent_origin for c in parsed.comments if c.parent_origin}
    reason = reasons.imported(source_name)
    for item in _parents_first(parsed.comments):
        if item.origin in placed:
            continue
        parent = placed.get(item.parent_origin) if item.parent_origin else None
        if item.parent_origin and parent is None:
            report.orphans += 1
        comment = Comment(
            thread_id=parent.thread_id if parent else thread_id_for(item.thread_source_id),
            parent_id=parent.id if parent else None,
            root_id=(parent.root_id or parent.id) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            status=item.status,
            reasons=(reason,),
            author_name=item.author_name[:100],
            author_email=(item.author_email or None) and item.author_email[:254],
            ip_hash=hash_ip(secret, item.ip),
            body_markdown=item.html,
            body_html=markup.sanitize_imported(item.html, sanitizer),
            created_at=item.created_at,
            updated_at=item.created_at,
            origin=item.origin,
        )
        session.add(comment)
        session.add(
            audit.event(audit.IMPORTER, AuditAction.IMPORT, comment=comment, to_status=item.status, why=(reason,))
        )
        if item.origin in has_children:
            session.flush()
            placed[item.origin] = _Placed(comment.id, comment.thread_id, comment.root_id, comment.depth)
        report.comments_added += 1
    session.flush()
    recount_threads(session, set(thread_ids.values()))
    return report
