"""Bans and the dashboard's word lists: what keeps abusers out."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Sequence

from flask import current_app
from sqlalchemy import and_, delete, distinct, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import audit, reasons
from .i18n import gettext
from .models import Ban, BanKind, Comment, ModerationEvent, Word, WordList, utcnow
from .policy import BanMatch
from .privacy import hash_ip, keyed_digest
from .vocabulary import N_, AuditAction

# How far back a ban by address looks for the readers it would also catch.
SHARED_ADDRESS_DAYS = 30
# Kinds whose value names a person; erasing that person keeps the ban by a
# keyed hash of the value (see :func:`forget_value`).
PERSONAL_KINDS = (BanKind.EMAIL, BanKind.ACCOUNT)


class BanError(ValueError):
    """A ban cannot be made as asked; the message is for the moderator."""


def email_domain(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    return email.rsplit("@", 1)[1].strip().lower() or None


# What follows the "@" of an address: at least two labels, joined by dots,
# of anything but spaces, "@" and dots (a name in Thai script included).
_DOMAIN = re.compile(r"[^\s@.]+(?:\.[^\s@.]+)+")


def normalize(kind: BanKind, value: str, hash_ip: Callable[[str], str | None]) -> str:
    """The stored form of a ban's value: lower-cased addresses, hashed IPs."""
    value = value.strip()
    if not value:
        raise BanError(gettext("Say what to ban: an email address, a domain, an account id or an IP address."))
    if kind is BanKind.EMAIL:
        if "@" not in value:
            raise BanError(gettext("%(value)s is not an email address.", value=repr(value)))
        return value.lower()
    if kind is BanKind.DOMAIN:
        domain = value.lstrip("@").lower()
        if not _DOMAIN.fullmatch(domain):
            raise BanError(gettext("%(value)s is not a domain name like example.org.", value=repr(value)))
        return domain
    if kind is BanKind.IP:
        hashed = hash_ip(ip_address(value))
        if hashed is None:  # ip_address() has checked it: every address hashes
            raise BanError(gettext("%(value)s is not an IP address.", value=repr(value)))
        return hashed
    return value


def ip_address(value: str) -> str:
    """``value`` as an IP address in its usual written form.

    :raises BanError: when it is not one.
    """
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        raise BanError(gettext("%(value)s is not an IP address.", value=repr(value))) from None


def is_shared_address(value: str) -> bool:
    """Loopback, private or link-local: an address many readers may share
    (an office network, a proxy, the demo)."""
    address = ipaddress.ip_address(value)
    return address.is_private or address.is_loopback or address.is_link_local


@dataclass(frozen=True)
class Reach:
    """Who else a ban by address would catch: recent comments from it and
    the distinct accounts that wrote them."""

    comments: int
    accounts: int


def ip_reach(session: Session, ip_hash: str, now: datetime | None = None) -> Reach:
    since = (now or utcnow()) - timedelta(days=SHARED_ADDRESS_DAYS)
    comments, accounts = session.execute(
        select(func.count(), func.count(distinct(Comment.author_id))).where(
            Comment.ip_hash == ip_hash, Comment.created_at >= since
        )
    ).one()
    return Reach(int(comments), int(accounts))


def audit_reason(kind: str, reason: str) -> reasons.Reason:
    """What the audit log says about a ban: its kind and the moderator's reason, never its value."""
    return reasons.ban_kind(kind, reason)


def _event(
    ban: Ban, action: AuditAction, *, comment_id: int | None, by_id: str | None, by_name: str
) -> ModerationEvent:
    # A ban moves no comment: the event records no status.
    return audit.event(
        audit.Actor(by_id, by_name),
        action,
        comment=comment_id,
        ban_id=ban.id,
        why=(audit_reason(ban.kind, ban.reason),),
    )


def add(
    session: Session,
    kind: BanKind,
    value: str,
    *,
    reason: str,
    days: int | None,
    by_id: str | None,
    by_name: str,
    label: str = "",
    comment_id: int | None = None,
) -> Ban:
    """Store a ban on an already normalized ``value``, and its audit event
    (naming ``comment_id``, the comment it came from, if any); ``days=None``
    never expires."""
    if days is not None and days < 1:
        raise BanError(gettext("A ban lasts at least one day; leave the days empty for a ban without end."))
    ban = Ban(
        kind=kind.value,
        value=value[:254],
        label=(label or value)[:254],
        reason=reason.strip()[:500],
        created_by_id=by_id,
        created_by_name=by_name[:100],
        expires_at=utcnow() + timedelta(days=days) if days else None,
    )
    session.add(ban)
    session.flush()
    session.add(_event(ban, AuditAction.BAN, comment_id=comment_id, by_id=by_id, by_name=by_name))
    session.commit()
    return ban


def value_from_comment(comment: Comment, kind: BanKind) -> tuple[str, str]:
    """The value a ban of ``kind`` takes from ``comment``, and how moderators see it.

    :raises BanError: when the comment has no such detail (no email, no account...).
    """
    found = {
        BanKind.EMAIL: ((comment.author_email or "").lower() or None, comment.author_email),
        BanKind.DOMAIN: (email_domain(comment.author_email), email_domain(comment.author_email)),
        BanKind.ACCOUNT: (comment.author_id, f"account {comment.author_id} ({comment.author_name})"),
        BanKind.IP: (comment.ip_hash, f"the address comment #{comment.id} was sent from"),
    }[kind]
    if not found[0]:
        missing = {
            BanKind.EMAIL: N_("Comment #%(id)s has no email to ban."),
            BanKind.DOMAIN: N_("Comment #%(id)s has no domain to ban."),
            BanKind.ACCOUNT: N_("Comment #%(id)s has no account to ban."),
            BanKind.IP: N_("Comment #%(id)s has no ip to ban."),
        }[kind]
        raise BanError(gettext(missing, id=comment.id))
    return found[0], found[1] or found[0]


def value_typed(kind: BanKind, typed: str) -> tuple[str, str]:
    """The value a ban of ``kind`` takes from what a moderator typed, and how
    moderators see it: an address is stored only as the app's keyed hash,
    so it shows as "an IP address".

    :raises BanError: when ``typed`` is no value of that kind.
    """
    secret = current_app.secret_key or ""
    value = normalize(kind, typed, lambda ip: hash_ip(secret, ip))
    return value, "an IP address" if kind is BanKind.IP else value


def lift(session: Session, ban_id: int, *, by_id: str | None, by_name: str) -> bool:
    """Remove a ban, recording who lifted it; False when there is no such ban."""
    ban = session.get(Ban, ban_id)
    if ban is None:
        return False
    came_from = session.scalar(
        select(ModerationEvent.comment_id)
        .where(ModerationEvent.ban_id == ban_id, ModerationEvent.action == AuditAction.BAN)
        .limit(1)
    )
    session.add(_event(ban, AuditAction.LIFT_BAN, comment_id=came_from, by_id=by_id, by_name=by_name))
    session.execute(delete(Ban).where(Ban.id == ban_id))
    session.commit()
    return True


def forget_value(kind: str, value: str) -> str:
    """The value a ban on a person keeps once that person is erased: a keyed
    hash, so the ban still holds but no longer names anyone."""
    return keyed_digest(current_app.secret_key or "", f"forum-erased-ban-{kind}", value)


def listed(session: Session, now: datetime | None = None) -> Sequence[Ban]:
    """Bans still in force, newest first."""
    now = now or utcnow()
    return session.scalars(
        select(Ban).where(or_(Ban.expires_at.is_(None), Ban.expires_at > now)).order_by(Ban.id.desc())
    ).all()


def matching(
    session: Session,
    *,
    email: str | None,
    account_id: str | None,
    ip_hash: str | None,
    now: datetime | None = None,
) -> BanMatch | None:
    """The ban in force that covers an author, if any, in one statement."""
    now = now or utcnow()
    candidates = [
        (BanKind.EMAIL, (email or "").lower()),
        (BanKind.DOMAIN, email_domain(email)),
        (BanKind.ACCOUNT, account_id),
        (BanKind.IP, ip_hash),
    ]
    wanted = [(kind, value) for kind, value in candidates if value]
    wanted += [(kind, forget_value(kind.value, value)) for kind, value in wanted if kind in PERSONAL_KINDS]
    conditions = [and_(Ban.kind == kind.value, Ban.value == value) for kind, value in wanted]
    if not conditions:
        return None
    ban = session.scalars(
        select(Ban)
        .where(or_(*conditions), or_(Ban.expires_at.is_(None), Ban.expires_at > now))
        .order_by(Ban.id)
        .limit(1)
    ).first()
    return BanMatch(ban.kind, ban.reason) if ban else None


def words(
    session: Session, configured_banned: Sequence[str], configured_suspect: Sequence[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The banned and suspect words: the config's lists plus the dashboard's."""
    rows = session.execute(select(Word.list, Word.word).order_by(Word.id)).all()
    banned = tuple(configured_banned) + tuple(w for kind, w in rows if kind == WordList.BANNED)
    suspect = tuple(configured_suspect) + tuple(w for kind, w in rows if kind == WordList.SUSPECT)
    return banned, suspect


def dashboard_words(session: Session) -> Sequence[Word]:
    return session.scalars(select(Word).order_by(Word.list, Word.word)).all()


def _word_event(action: AuditAction, word: Word, by_id: str | None, by_name: str) -> ModerationEvent:
    """An audit row for a change to the word lists (no comment moves)."""
    return audit.event(audit.Actor(by_id, by_name), action, why=(reasons.listed_word(word.list, word.word),))


def add_word(session: Session, kind: WordList, word: str, *, by_name: str, by_id: str | None = None) -> bool:
    """Add ``word`` to a list, with an audit row; False when it is already there."""
    word = word.strip().casefold()
    if not word:
        raise BanError(gettext("Type the word to add."))
    if len(word) > 100:
        raise BanError(gettext("A word or phrase may have at most 100 characters."))
    added = Word(list=kind.value, word=word, created_by_name=by_name[:100])
    session.add(added)
    session.add(_word_event(AuditAction.ADD_WORD, added, by_id, by_name))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True


def remove_word(session: Session, word_id: int, *, by_name: str, by_id: str | None = None) -> bool:
    """Take a word off its list, with an audit row; False when there is no such word."""
    word = session.get(Word, word_id)
    if word is None:
        return False
    session.add(_word_event(AuditAction.REMOVE_WORD, word, by_id, by_name))
    session.delete(word)
    session.commit()
    return True
