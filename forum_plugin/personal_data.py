"""What the extension holds about one person, found by email: export and erase.

A person is the address they wrote under and the accounts their comments
under it carry: everything those accounts wrote belongs to them too, with or
without the address. Erasing reaches every ``forum_`` table in one
transaction; what stays is a skeleton ("Anonymous" comments where replies
hang, audit events that no longer say who), so threads and the moderators'
record keep their shape.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable, NamedTuple

from sqlalchemy import Column, ColumnElement, String, Table, delete, func, or_, select, update
from sqlalchemy.orm import Session, joinedload

from . import audit, bans, reasons
from .forms import REPORT_REASONS
from .models import Ban, BanKind, Base, Comment, Flag, MailAddress, ModerationEvent, Revision, Word, utcnow
from .sql import changed_rows
from .textmatch import case_blind, same_text
from .vocabulary import AuditAction

ANONYMOUS = "Anonymous"
REMOVED_BODY = "[removed at the author's request]"
REMOVED_HTML = "<p>[removed at the author's request]</p>"
ERASED_ADDRESS = "[erased address]"
# A report's reason once its details, the reporter's own words, are gone.
REMOVED_DETAILS = "[removed]"
ERASED_BAN_LABELS = {BanKind.EMAIL.value: "an erased address", BanKind.ACCOUNT.value: "an erased account"}
# Names the forum itself acts under, never a person's.
FORUM_ACTORS = frozenset({"policy", "readers", "command line"})


@dataclass(frozen=True)
class Person:
    """Where one person appears: their comments, accounts, the names they
    wrote under and the address hashes their comments came from."""

    email: str
    comment_ids: tuple[int, ...] = ()
    account_ids: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    ip_hashes: tuple[str, ...] = ()

    @property
    def reporters(self) -> list[str]:
        """How their reports name them (see :class:`~forum_plugin.models.Flag`)."""
        return [f"account:{account}" for account in self.account_ids] + [f"ip:{ip}" for ip in self.ip_hashes]


class _Written(NamedTuple):
    """Who wrote one comment, as :func:`find` gathers them."""

    id: int
    author_id: str | None
    author_name: str
    ip_hash: str | None


def find(session: Session, email: str) -> Person:
    """The person who wrote under ``email``, and everything their accounts wrote."""
    email = email.strip().lower()
    columns = (Comment.id, Comment.author_id, Comment.author_name, Comment.ip_hash)
    rows = [
        _Written(row.id, row.author_id, row.author_name, row.ip_hash)
        for row in session.execute(
            select(*columns, Comment.author_email).where(case_blind(Comment.author_email, email))
        )
        if same_text(row.author_email, email)
    ]
    accounts = sorted({row.author_id for row in rows if row.author_id})
    names = {row.author_name for row in rows}
    if accounts:
        rows += [_Written(*row) for row in session.execute(select(*columns).where(Comment.author_id.in_(accounts)))]
        names |= {row.author_name for row in rows}
        for column, owner in (
            (ModerationEvent.actor_name, ModerationEvent.actor_id),
            (Revision.editor_name, Revision.editor_id),
            (Ban.created_by_name, Ban.created_by_id),
        ):
            names |= set(session.scalars(select(column).where(owner.in_(accounts)).distinct()))
    return Person(
        email=email,
        comment_ids=tuple(sorted({row.id for row in rows})),
        account_ids=tuple(accounts),
        names=tuple(sorted(name for name in names if name and name != ANONYMOUS and name not in FORUM_ACTORS)),
        ip_hashes=tuple(sorted({row.ip_hash for row in rows if row.ip_hash})),
    )


def _bans_on(person: Person) -> ColumnElement[bool]:
    conditions = [(Ban.kind == BanKind.EMAIL.value) & (Ban.value == person.email)]
    if person.account_ids:
        conditions.append((Ban.kind == BanKind.ACCOUNT.value) & Ban.value.in_(person.account_ids))
    return or_(*conditions)


def holds_anything(session: Session, person: Person) -> bool:
    """Whether any row is about ``person``: a comment, a ban, a mail address."""
    if person.comment_ids:
        return True
    return bool(
        session.scalar(select(func.count()).select_from(Ban).where(_bans_on(person)))
        or session.scalar(select(func.count()).select_from(MailAddress).where(MailAddress.email == person.email))
    )


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() + "Z" if moment else None


def _actor(event: ModerationEvent, person: Person) -> str:
    """Who made a decision, as the person may be told: themselves, a rule,
    or "a moderator" (moderators' names are theirs to keep)."""
    if event.actor_id in person.account_ids or (event.actor_id is None and event.actor_name in person.names):
        return event.actor_name
    return "a moderator" if event.actor_id else event.actor_name


def export(session: Session, email: str) -> dict[str, Any]:
    """Everything held about the person who wrote under ``email``, as plain data."""
    person = find(session, email)
    ids = list(person.comment_ids)
    comments = session.scalars(
        select(Comment).where(Comment.id.in_(ids)).options(joinedload(Comment.thread)).order_by(Comment.id)
    ).all()
    revisions = session.scalars(select(Revision).where(Revision.comment_id.in_(ids)).order_by(Revision.id)).all()
    reports_on = session.scalars(select(Flag).where(Flag.comment_id.in_(ids)).order_by(Flag.id)).all()
    events = session.scalars(
        select(ModerationEvent).where(ModerationEvent.comment_id.in_(ids)).order_by(ModerationEvent.id)
    ).all()
    reports_made = session.scalars(select(Flag).where(Flag.reporter.in_(person.reporters)).order_by(Flag.id)).all()
    address = session.scalar(select(MailAddress).where(MailAddress.email == person.email))
    return {
        "email": person.email,
        "accounts": list(person.account_ids),
        "names": list(person.names),
        "comments": [
            {
                "id": c.id,
                "thread": {"key": c.thread.key, "title": c.thread.title, "url": c.thread.url},
                "parent_id": c.parent_id,
                "status": c.status,
                "moderation_reason": c.moderation_reason,
                "author_name": c.author_name,
                "author_email": c.author_email,
                "author_account": c.author_id,
                "ip_hash": c.ip_hash,
                "body_markdown": c.body_markdown,
                "body_html": c.body_html,
                "held_edit": {"body_markdown": c.pending_markdown, "body_html": c.pending_html}
                if c.edit_pending
                else None,
                "notify": c.notify,
                "created_at": _time(c.created_at),
                "updated_at": _time(c.updated_at),
                "revisions": [
                    {
                        "body_markdown": r.body_markdown,
                        "body_html": r.body_html,
                        "replaced_by": r.editor_name
                        if r.editor_id in person.account_ids or not r.editor_id
                        else "a moderator",
                        "replaced_at": _time(r.created_at),
                    }
                    for r in revisions
                    if r.comment_id == c.id
                ],
                "reports": [
                    {"reason": f.reason, "created_at": _time(f.created_at), "answered_at": _time(f.cleared_at)}
                    for f in reports_on
                    if f.comment_id == c.id
                ],
                "audit_events": [
                    {
                        "action": e.action,
                        "by": _actor(e, person),
                        "from_status": e.from_status,
                        "to_status": e.to_status,
                        "reason": e.reason,
                        "created_at": _time(e.created_at),
                    }
                    for e in events
                    if e.comment_id == c.id
                ],
            }
            for c in comments
        ],
        "reports_made": [
            {
                "comment_id": f.comment_id,
                "reason": f.reason,
                "created_at": _time(f.created_at),
                "answered_at": _time(f.cleared_at),
            }
            for f in reports_made
        ],
        "bans": [
            {"kind": b.kind, "reason": b.reason, "created_at": _time(b.created_at), "expires_at": _time(b.expires_at)}
            for b in session.scalars(select(Ban).where(_bans_on(person)).order_by(Ban.id))
        ],
        "mail_address": {
            "email": address.email,
            "confirmed_at": _time(address.confirmed_at),
            "confirmation_sent_at": _time(address.confirmation_sent_at),
            "created_at": _time(address.created_at),
        }
        if address
        else None,
    }


@dataclass
class Erased:
    """How many rows of each kind an erase changed."""

    comments: int = 0
    revisions: int = 0
    events: int = 0
    reports: int = 0
    bans: int = 0
    mail_addresses: int = 0
    # Texts elsewhere that quoted the person's address or names.
    quotes: int = 0

    def reason(self) -> reasons.Reason:
        """The counts as a reason, for the audit log."""
        return reasons.erased_counts(
            comments=self.comments,
            revisions=self.revisions,
            events=self.events,
            reports=self.reports,
            bans=self.bans,
            mail_addresses=self.mail_addresses,
            quotes=self.quotes,
        )

    def summary(self) -> str:
        """The counts in English, for the command line."""
        return reasons.english([self.reason()])


class Scrubber:
    """Rewrites free text that quotes a person: their address becomes
    "[erased address]", each of their names "Anonymous"."""

    def __init__(self, person: Person):
        self.email = person.email
        # Only an account can have moderated, and left its name on word lists.
        self.moderator = bool(person.account_ids)
        self._address = re.compile(rf"(?<![\w.%+-]){re.escape(person.email)}(?![\w-]|\.\w)", re.IGNORECASE)
        names = sorted(person.names, key=len, reverse=True)
        self._names = (
            re.compile("|".join(rf"(?<!\w){re.escape(name)}(?!\w)" for name in names), re.IGNORECASE) if names else None
        )
        self.needles = [person.email, *(name.lower() for name in names)]

    def __call__(self, text: str) -> str:
        text = self._address.sub(ERASED_ADDRESS, text)
        return self._names.sub(ANONYMOUS, text) if self._names is not None else text

    def address_only(self, text: str) -> str:
        return self._address.sub(ERASED_ADDRESS, text)


# A text the erase changed: its table, its row's key and its column (the
# column of the English line, for the codes stored beside it).
TextAt = tuple[str, Any, str]


def _rewrite(
    session: Session,
    table: Table,
    column: Column[Any],
    needles: Iterable[str],
    rewrite: Callable[[str], str | None],
    *,
    text_of: str | None = None,
) -> set[TextAt]:
    """Rewrite ``column`` of every row of ``table`` that mentions a needle;
    found in SQL, changed in Python (case-blind and word-bounded on every
    database alike). Returns the texts that changed: ``column`` of each row,
    or ``text_of`` when ``column`` holds another form of that text."""
    wanted = [case_blind(column, needle, anywhere=True) for needle in needles if needle]
    if not wanted:
        return set()
    key = table.primary_key.columns.values()[0]
    changed: set[TextAt] = set()
    for row_id, text in session.execute(select(key, column).where(or_(*wanted))).all():
        new = rewrite(text)
        if new != text:
            session.execute(update(table).where(key == row_id).values({column.name: new}))
            changed.add((table.name, row_id, text_of or column.name))
    return changed


def _erase_comments(session: Session, person: Person, remove_bodies: bool) -> int:
    values: dict[str, Any] = {
        "author_name": ANONYMOUS,
        "author_email": None,
        "author_id": None,
        "ip_hash": None,
        "ip_private": None,
        "notify": False,
        "edit_pending": False,
        "pending_markdown": None,
        "pending_html": None,
    }
    if remove_bodies:
        values.update(body_markdown=REMOVED_BODY, body_html=REMOVED_HTML)
    return changed_rows(session, update(Comment).where(Comment.id.in_(person.comment_ids)).values(**values))


def _erase_revisions(session: Session, person: Person, remove_bodies: bool) -> int:
    changed = 0
    if remove_bodies:
        changed += changed_rows(
            session,
            update(Revision)
            .where(Revision.comment_id.in_(person.comment_ids))
            .values(body_markdown=REMOVED_BODY, body_html=REMOVED_HTML),
        )
    by_them = or_(
        Revision.editor_id.in_(person.account_ids),
        Revision.comment_id.in_(person.comment_ids)
        & Revision.editor_id.is_(None)
        & Revision.editor_name.in_(person.names),
    )
    changed += changed_rows(session, update(Revision).where(by_them).values(editor_id=None, editor_name=ANONYMOUS))
    return changed


def _erase_events(session: Session, person: Person) -> int:
    """Audit events the person made lose who made them. The models refuse
    any change to the audit log; this Core UPDATE is its one sanctioned
    rewrite, and an event of its own records that it happened."""
    events = ModerationEvent.__table__
    assert isinstance(events, Table)
    by_them = or_(
        events.c.actor_id.in_(person.account_ids),
        events.c.comment_id.in_(person.comment_ids)
        & events.c.actor_id.is_(None)
        & events.c.actor_name.in_(person.names),
    )
    return changed_rows(session, update(events).where(by_them).values(actor_id=None, actor_name=ANONYMOUS))


def _report_without_details(reason: str) -> str:
    label = reason.partition(": ")[0]
    return label if label in {text for _, text in REPORT_REASONS} else REMOVED_DETAILS


def _erase_reports(session: Session, person: Person) -> int:
    """Reports the person made stay (they still count for the comment) but
    no longer say who made them, nor in their words: those made through
    their accounts and those made anonymously from their address hash
    (where someone sharing the address may have written the words, the
    words go too: erasing too much of a report costs less than keeping a
    trace of the person)."""
    reports = session.scalars(select(Flag).where(Flag.reporter.in_(person.reporters))).all()
    for report in reports:
        report.reason = _report_without_details(report.reason)
        report.reporter = f"erased:{report.id}"
    return len(reports)


def _erase_bans(session: Session, person: Person) -> int:
    """Bans on the person keep holding, by a keyed hash of what they were on."""
    changed = 0
    for ban in session.scalars(select(Ban).where(_bans_on(person))).all():
        ban.value = bans.forget_value(ban.kind, ban.value)
        ban.label = ERASED_BAN_LABELS[ban.kind]
        changed += 1
    if person.account_ids:
        changed += changed_rows(
            session,
            update(Ban)
            .where(Ban.created_by_id.in_(person.account_ids))
            .values(created_by_id=None, created_by_name=ANONYMOUS),
        )
    return changed


# The tables whose reasons are stored as codes, and the column of their English line.
REASON_LINES = {
    Comment.__tablename__: Comment.moderation_reason.key,
    ModerationEvent.__tablename__: ModerationEvent.reason.key,
}


def _erase_quoted_reasons(session: Session, scrub: Scrubber) -> set[TextAt]:
    """Rewrite every text inside reasons stored as data (a ban's reason in
    "banned email: …", a word) that quotes the person; the English lines
    beside them are rewritten with the other free text, and a line and its
    data are one text."""

    def rewrite(data: str) -> str | None:
        return reasons.encode(reasons.scrub(reasons.decode(data, ""), scrub))

    # As the JSON spells them (quotes and backslashes escaped).
    needles = [json.dumps(needle, ensure_ascii=False)[1:-1] for needle in scrub.needles]
    changed: set[TextAt] = set()
    for name, line in REASON_LINES.items():
        table = Base.metadata.tables[name]
        changed |= _rewrite(session, table, table.c.reason_data, needles, rewrite, text_of=line)
    return changed


def _erase_quotes(session: Session, scrub: Scrubber) -> int:
    """Rewrite free text that quotes the person: moderators' and rules'
    reasons, ban labels, the names on word lists; their address wherever in
    the forum's tables it was written. Returns how many texts changed."""
    quoting = [Comment.moderation_reason, ModerationEvent.reason, Ban.reason, Ban.label, Flag.reason]
    if scrub.moderator:
        quoting.append(Word.created_by_name)
    changed = _erase_quoted_reasons(session, scrub)
    for attribute in quoting:
        table = attribute.class_.__table__
        changed |= _rewrite(session, table, table.c[attribute.key], scrub.needles, scrub)
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String) and not column.primary_key:
                changed |= _rewrite(session, table, column, [scrub.email], scrub.address_only)
    return len(changed)


def erase(session: Session, email: str, *, remove_bodies: bool = False, by: str = "command line") -> Erased:
    """Forget the person who wrote under ``email``, in every forum table, in
    one transaction; replies to their comments stay in place.

    Their comments read "Anonymous" and lose address, account, address hash
    and any held edit; with ``remove_bodies`` their text, and every earlier
    version of it, becomes a placeholder. Revisions and audit events they
    made no longer name them; reports they made lose their reporter and
    details; bans on their address or account keep holding by a keyed hash;
    their mail address is deleted; reasons that quote their address or names
    are rewritten. Each erased comment gets an audit event, and one more
    records the erase, naming no one.
    """
    person = find(session, email)
    erased = Erased()
    if not holds_anything(session, person):
        return erased
    try:
        statuses = dict(
            session.execute(select(Comment.id, Comment.status).where(Comment.id.in_(person.comment_ids))).all()
        )
        erased.comments = _erase_comments(session, person, remove_bodies)
        erased.revisions = _erase_revisions(session, person, remove_bodies)
        erased.events = _erase_events(session, person)
        erased.reports = _erase_reports(session, person)
        erased.bans = _erase_bans(session, person)
        erased.mail_addresses = changed_rows(session, delete(MailAddress).where(MailAddress.email == person.email))
        session.flush()
        erased.quotes = _erase_quotes(session, Scrubber(person))
        reason = reasons.erased_on_request(text_removed=remove_bodies)
        erasing = audit.Actor(None, by)
        session.add_all(
            audit.event(
                erasing, AuditAction.ERASE, comment=comment_id, from_status=status, to_status=status, why=(reason,)
            )
            for comment_id, status in statuses.items()
        )
        session.add(audit.event(erasing, AuditAction.ERASE, why=(reasons.person_erased(erased.reason()),)))
        session.commit()
    except Exception:
        session.rollback()
        raise
    return erased


def purge_addresses(session: Session, older_than_days: int) -> tuple[int, int]:
    """Forget which address wrote or reported anything older than the given
    number of days: comments' IP hashes are cleared, reporters' address
    hashes replaced. Returns (comments, reports) changed.

    Bans by IP keep their hashes: a moderator chose to keep those.
    """
    cutoff = utcnow() - timedelta(days=older_than_days)
    comments = changed_rows(
        session, update(Comment).where(Comment.ip_hash.is_not(None), Comment.created_at < cutoff).values(ip_hash=None)
    )
    old_reports = session.scalars(select(Flag).where(Flag.reporter.like("ip:%"), Flag.created_at < cutoff)).all()
    for flag in old_reports:
        # Still unique per comment, but no longer tied to an address.
        flag.reporter = f"purged:{flag.id}"
    session.commit()
    return comments, len(old_reports)
