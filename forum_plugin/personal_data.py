"""What the extension holds about one person, found by email: export and erase."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, joinedload

from .models import Comment, Flag, ModerationEvent, utcnow

ANONYMOUS = "Anonymous"
REMOVED_BODY = "[removed at the author's request]"
REMOVED_HTML = "<p>[removed at the author's request]</p>"


def _matching(email: str):
    return func.lower(Comment.author_email) == email.strip().lower()


def count(session: Session, email: str) -> int:
    """How many comments were written under ``email``."""
    return session.scalar(select(func.count()).select_from(Comment).where(_matching(email))) or 0


def export(session: Session, email: str) -> list[dict[str, Any]]:
    """Every comment written under ``email``, oldest first, as plain data."""
    comments = session.scalars(
        select(Comment).where(_matching(email)).options(joinedload(Comment.thread)).order_by(Comment.id)
    ).all()
    return [
        {
            "id": c.id,
            "thread": {"key": c.thread.key, "title": c.thread.title, "url": c.thread.url},
            "parent_id": c.parent_id,
            "status": c.status,
            "author_name": c.author_name,
            "author_email": c.author_email,
            "author_account": c.author_id,
            "ip_hash": c.ip_hash,
            "body_markdown": c.body_markdown,
            "body_html": c.body_html,
            "created_at": c.created_at.isoformat() + "Z",
            "updated_at": c.updated_at.isoformat() + "Z",
        }
        for c in comments
    ]


def erase(session: Session, email: str, *, remove_bodies: bool = False, by: str = "command line") -> int:
    """Anonymize every comment written under ``email``; replies stay in place.

    The name becomes "Anonymous"; email, account link and IP hash are
    cleared; with ``remove_bodies`` the text is replaced by a placeholder.
    Each erased comment gets an audit event. Returns how many were erased.
    """
    ids = session.scalars(select(Comment.id).where(_matching(email))).all()
    if not ids:
        return 0
    values: dict[str, Any] = {"author_name": ANONYMOUS, "author_email": None, "author_id": None, "ip_hash": None}
    if remove_bodies:
        values.update(body_markdown=REMOVED_BODY, body_html=REMOVED_HTML)
    session.execute(update(Comment).where(Comment.id.in_(ids)).values(**values))
    reason = "erased at the author's request" + (", text removed" if remove_bodies else "")
    statuses = dict(session.execute(select(Comment.id, Comment.status).where(Comment.id.in_(ids))).all())
    session.add_all(
        ModerationEvent(
            comment_id=comment_id,
            actor_id=None,
            actor_name=by,
            action="erase",
            from_status=statuses[comment_id],
            to_status=statuses[comment_id],
            reason=reason,
        )
        for comment_id in ids
    )
    session.commit()
    return len(ids)


def purge_addresses(session: Session, older_than_days: int) -> tuple[int, int]:
    """Forget which address wrote or reported anything older than the given
    number of days: comments' IP hashes are cleared, reporters' address
    hashes replaced. Returns (comments, reports) changed.

    Bans by IP keep their hashes: a moderator chose to keep those.
    """
    cutoff = utcnow() - timedelta(days=older_than_days)
    comments = session.execute(
        update(Comment).where(Comment.ip_hash.is_not(None), Comment.created_at < cutoff).values(ip_hash=None)
    ).rowcount
    old_reports = session.scalars(
        select(Flag).where(Flag.reporter.like("ip:%"), Flag.created_at < cutoff)
    ).all()
    for flag in old_reports:
        # Still unique per comment, but no longer tied to an address.
        flag.reporter = f"purged:{flag.id}"
    session.commit()
    return comments, len(old_reports)
