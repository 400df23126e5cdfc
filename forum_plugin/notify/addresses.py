"""Readers' addresses and their double opt-in, in the forum_mail_addresses table.

An address typed into a comment form may be anyone's. It gets a row with a
random token the first time it asks for mail; nothing but one confirmation
mail a day is sent to it until its owner opens the link in that mail and
presses the button. The same token then serves the unsubscribe link, so no
link in a mail carries the address itself.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from typing import Iterable

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import Comment, MailAddress, utcnow
from ..sql import changed_rows
from ..textmatch import case_blind, same_text

CONFIRMATION_INTERVAL = timedelta(hours=24)
# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
TOKEN_BYTES = 32
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def normalized(email: str) -> str:
    return email.strip().lower()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def looks_like_token(token: str) -> bool:
    """Whether ``token`` could be one this forum made: a link that could not
    is refused without asking the database."""
    return bool(_TOKEN_SHAPE.fullmatch(token))


def find(session: Session, email: str) -> MailAddress | None:
    return session.scalar(select(MailAddress).where(MailAddress.email == normalized(email)))


def by_token(session: Session, token: str) -> MailAddress | None:
    if not looks_like_token(token):
        return None
    return session.scalar(select(MailAddress).where(MailAddress.token == token))


def address_for(session: Session, email: str) -> MailAddress:
    """The row of ``email`` (any case), made now if it has none.

    Commits. Two requests making the same row at once both end with the one
    that was stored: the unique index refuses the second insert, which then
    reads the first.
    """
    address = find(session, email)
    if address is not None:
        return address
    session.add(MailAddress(email=normalized(email), token=new_token()))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
    address = find(session, email)
    assert address is not None, "the row exists: this request or another stored it"
    return address


def claim_confirmation(session: Session, address_id: int, now: datetime) -> bool:
    """Take the right to send an address its confirmation mail, stamping
    ``confirmation_sent_at`` with ``now``: once a day at most, never once
    confirmed. One conditional UPDATE, so two requests at once cannot both
    win. Commits."""
    due = or_(
        MailAddress.confirmation_sent_at.is_(None), MailAddress.confirmation_sent_at <= now - CONFIRMATION_INTERVAL
    )
    claimed = changed_rows(
        session,
        update(MailAddress)
        .where(MailAddress.id == address_id, MailAddress.confirmed_at.is_(None), due)
        .values(confirmation_sent_at=now)
        .execution_options(synchronize_session=False),
    )
    session.commit()
    return claimed == 1


def give_back_confirmation(session: Session, address_id: int, claimed_at: datetime, before: datetime | None) -> None:
    """Undo :func:`claim_confirmation` when its mail could not be sent, so
    the next comment tries again instead of waiting a day. Commits."""
    session.execute(
        update(MailAddress)
        .where(MailAddress.id == address_id, MailAddress.confirmation_sent_at == claimed_at)
        .values(confirmation_sent_at=before)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def confirm(session: Session, address: MailAddress) -> None:
    """Record that the owner of ``address`` wants the forum's mails. Commits."""
    if address.confirmed_at is None:
        address.confirmed_at = utcnow()
        session.commit()


def confirmed_tokens(session: Session, emails: Iterable[str | None]) -> dict[str, str]:
    """The tokens of those of ``emails`` whose owners confirmed them, by
    lower-cased address; unconfirmed and unknown addresses are left out."""
    wanted = {normalized(email) for email in emails if email}
    if not wanted:
        return {}
    rows = session.execute(
        select(MailAddress.email, MailAddress.token).where(
            MailAddress.email.in_(wanted), MailAddress.confirmed_at.is_not(None)
        )
    )
    return {email: token for email, token in rows}


def stop_notifications(session: Session, email: str) -> int:
    """Turn notification off on every comment written under ``email`` (any
    case), on every thread; return how many comments had it on. Commits."""
    email = normalized(email)
    ids = [
        comment_id
        for comment_id, written_under in session.execute(
            select(Comment.id, Comment.author_email).where(
                case_blind(Comment.author_email, email), Comment.notify.is_(True)
            )
        )
        if same_text(written_under, email)
    ]
    if ids:
        session.execute(
            update(Comment).where(Comment.id.in_(ids)).values(notify=False).execution_options(synchronize_session=False)
        )
    session.commit()
    return len(ids)
