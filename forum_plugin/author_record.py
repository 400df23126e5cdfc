"""An author's record: how many of their comments were published, and how
many refused (rejected or spam).

Two questions read it, and mean different things by it:

* :func:`trust_record`, for the policy judging a new comment: one account's
  approved comments ever, and refused ones within the trust window only,
  so that an old mistake stops counting against a now trusted author.
* :func:`dashboard_records`, for moderators reading the queue: each listed
  comment's author, known by account, else email, else address hash, with
  every approved and refused comment ever.

Both count the same rows the same way (:func:`_tally`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Sequence

from sqlalchemy import ColumnElement, SQLColumnExpression, func, literal, or_, select
from sqlalchemy.orm import Session

from .config import TRUST_WINDOW_DAYS
from .models import Comment, Status, utcnow

REFUSED = tuple(status for status in Status if status.refused)


def _tally(
    session: Session,
    author: SQLColumnExpression[str | None],
    whose: ColumnElement[bool],
    refused_since: datetime | None,
) -> dict[str | None, tuple[int, int]]:
    """(approved, refused) comments per value of ``author`` among the
    comments ``whose`` picks; refused ones only if written after
    ``refused_since``, when given. One statement, grouped in the database."""
    refused: ColumnElement[bool] = Comment.status.in_([status.value for status in REFUSED])
    counted: ColumnElement[bool]
    if refused_since is not None:
        counted = (Comment.status == Status.APPROVED.value) | (refused & (Comment.created_at > refused_since))
    else:
        counted = Comment.status.in_([Status.APPROVED.value, *(status.value for status in REFUSED)])
    rows = session.execute(
        select(author, Comment.status, func.count()).where(whose, counted).group_by(author, Comment.status)
    ).all()
    tallies: dict[str | None, tuple[int, int]] = {}
    for key, status, count in rows:
        approved, refused_count = tallies.get(key, (0, 0))
        if status == Status.APPROVED:
            approved += count
        else:
            refused_count += count
        tallies[key] = (approved, refused_count)
    return tallies


def trust_record(session: Session, author_id: str, now: datetime | None = None) -> tuple[int, int]:
    """The account's approved comments, and its comments refused within the
    last :data:`~forum_plugin.config.TRUST_WINDOW_DAYS` days."""
    since = (now or utcnow()) - timedelta(days=TRUST_WINDOW_DAYS)
    tallies = _tally(session, Comment.author_id, Comment.author_id == author_id, since)
    return tallies.get(author_id, (0, 0))


def _author_key() -> ColumnElement[str | None]:
    """One string per author: the account if any, else the email, else the address hash."""
    return func.coalesce(
        literal("a:") + Comment.author_id,
        literal("e:") + Comment.author_email,
        literal("i:") + Comment.ip_hash,
    )


def _key_of(comment: Comment) -> str | None:
    if comment.author_id:
        return f"a:{comment.author_id}"
    if comment.author_email:
        return f"e:{comment.author_email}"
    return f"i:{comment.ip_hash}" if comment.ip_hash else None


def dashboard_records(session: Session, comments: Sequence[Comment]) -> dict[int, tuple[int, int]]:
    """(approved, rejected or spam) comments by each row's author, in one
    statement that the account, email and address-hash indexes answer."""
    keys = {c.id: _key_of(c) for c in comments}
    wanted = {key for key in keys.values() if key}
    if not wanted:
        return {}
    accounts = [k[2:] for k in wanted if k.startswith("a:")]
    emails = [k[2:] for k in wanted if k.startswith("e:")]
    addresses = [k[2:] for k in wanted if k.startswith("i:")]
    whose = or_(
        Comment.author_id.in_(accounts),
        Comment.author_email.in_(emails),
        Comment.ip_hash.in_(addresses),
    )
    tallies = _tally(session, _author_key(), whose, None)
    return {comment_id: tallies.get(key, (0, 0)) for comment_id, key in keys.items() if key}
