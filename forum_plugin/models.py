"""The ``forum_`` tables.

The models live on their own declarative base and metadata rather than on a
host's ``db.Model``: the same classes then serve every app in a process,
whichever Flask-SQLAlchemy instance it uses, and the migrations can target
exactly these tables. Flask-SQLAlchemy's session finds their engine through
its default bind.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Sequence

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    event,
    false,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import Connection
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column, relationship

from .reasons import Given, decode, encode, english

# Defined with their texts in vocabulary; importable from here as before.
from .vocabulary import BanKind as BanKind
from .vocabulary import Choice, Phrase, logged_as
from .vocabulary import Status as Status

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# MySQL and MariaDB keep whole seconds unless asked for more, which would
# make creation order ambiguous; keys compare case- and accent-blind unless
# the collation is binary.
Timestamp = DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
ThreadKey = String(255).with_variant(mysql.VARCHAR(255, charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb")
LongText = Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")


def utcnow() -> datetime:
    """The current time in UTC, without tzinfo, as every column stores it."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


# The longest English line of reasons a row keeps (its reason_data keeps all).
REASON_LENGTH = 500


def _stored_reasons(given: Sequence[Given]) -> tuple[str, str | None]:
    """What a row stores of ``given``: the English line, and the reasons as
    data (None when the line is only own words)."""
    return english(given)[:REASON_LENGTH], encode(given)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # A table's own indexes come first in a subclass's tuple, then these options.
    __table_args__: tuple[Any, ...] | dict[str, Any] = {"mysql_charset": "utf8mb4"}


class Thread(Base):
    """One commented page of the host, named by the host's key."""

    __tablename__ = "forum_threads"
    __table_args__ = (
        Index("uq_forum_threads_key", "key", unique=True),
        Base.__table_args__,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(ThreadKey)
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(2000))
    # Comments per status, kept in the same transaction as every change, so
    # listings and the dashboard's tabs never count rows.
    approved_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    pending_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rejected_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    spam_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    deleted_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    @staticmethod
    def count_column(status: str) -> str:
        """The column counting comments in ``status``."""
        return Status(status).count_column


class Comment(Base):
    """A comment or reply; ``root_id`` names its top-level ancestor."""

    __tablename__ = "forum_comments"
    __table_args__ = (
        # A thread page: its top-level comments in order (an ordered scan that
        # stops after one page, whatever the statuses), then every reply
        # under the roots on that page.
        Index("ix_forum_comments_thread_page", "thread_id", "depth", "created_at", "id"),
        Index("ix_forum_comments_root", "root_id", "status", "created_at", "id"),
        # The moderation queue, oldest or newest first.
        Index("ix_forum_comments_queue", "status", "created_at", "id"),
        # An author's record (approved, rejected...) by account, email or address hash.
        Index("ix_forum_comments_author_email", "author_email", "status"),
        Index("ix_forum_comments_author_id", "author_id", "status"),
        Index("ix_forum_comments_ip_hash", "ip_hash", "status"),
        Index("uq_forum_comments_origin", "origin", unique=True),
        Index("ix_forum_comments_edit_pending", "edit_pending", "created_at", "id"),
        Index("uq_forum_comments_form_nonce", "form_nonce", unique=True),
        Base.__table_args__,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_threads.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("forum_comments.id"))
    root_id: Mapped[int | None] = mapped_column(ForeignKey("forum_comments.id"))
    depth: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16))
    # Why it has its status: in English, and as codes and values (see
    # forum_plugin.reasons) for showing in each reader's language. Both are
    # written together through ``reasons``.
    moderation_reason: Mapped[str] = mapped_column(String(REASON_LENGTH), default="")
    reason_data: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[str | None] = mapped_column(String(64))
    author_name: Mapped[str] = mapped_column(String(100))
    author_email: Mapped[str | None] = mapped_column(String(254))
    ip_hash: Mapped[str | None] = mapped_column(String(64))
    body_markdown: Mapped[str] = mapped_column(LongText)
    body_html: Mapped[str] = mapped_column(LongText)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)
    # Where an imported comment came from ("wordpress:<site>:<id>", "disqus:<id>"),
    # so importing the same file again adds nothing.
    origin: Mapped[str | None] = mapped_column(String(255))
    # The author asked to be mailed when this is approved or answered.
    notify: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    flag_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # An author's edit of a published comment that the policy held: readers
    # keep seeing the published text until a moderator accepts the edit.
    edit_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    pending_markdown: Mapped[str | None] = mapped_column(LongText)
    pending_html: Mapped[str | None] = mapped_column(LongText)
    # The one-use nonce of the form this comment was posted with: a form
    # (and a replayed copy of it) is good for one comment.
    form_nonce: Mapped[str | None] = mapped_column(String(32))
    # The address was loopback, private or link-local: shared by many readers
    # (an office, a proxy, the demo), so a ban by it needs a moderator's confirmation.
    ip_private: Mapped[bool | None] = mapped_column(Boolean)

    thread: Mapped[Thread] = relationship(lazy="raise")

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    @property
    def reasons(self) -> tuple[Given, ...]:
        """Why the comment has its status (see :mod:`forum_plugin.reasons`)."""
        return decode(self.reason_data, self.moderation_reason)

    @reasons.setter
    def reasons(self, given: Sequence[Given]) -> None:
        self.moderation_reason, self.reason_data = _stored_reasons(given)


class ModerationEvent(Base):
    """One entry of the append-only audit log: who moved a comment where, and why."""

    __tablename__ = "forum_moderation_events"
    __table_args__ = (
        Index("ix_forum_moderation_events_comment", "comment_id", "created_at"),
        Index("ix_forum_moderation_events_actor", "actor_id", "created_at"),
        Base.__table_args__,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # None for a decision about no one comment (a ban added by hand, a ban lifted).
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("forum_comments.id"))
    # The ban an event added or lifted (no foreign key: a lifted ban's row is gone).
    ban_id: Mapped[int | None] = mapped_column(Integer)
    # The moderator's account id, or None when a policy rule decided.
    actor_id: Mapped[str | None] = mapped_column(String(64))
    actor_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    # Why, in English and as codes and values, as on the comment.
    reason: Mapped[str] = mapped_column(String(REASON_LENGTH), default="")
    reason_data: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    comment: Mapped[Comment] = relationship(lazy="raise")

    @property
    def action_label(self) -> Phrase:
        """How the audit log names :attr:`action` (``forum_p(*event.action_label)``)."""
        return logged_as(self.action)

    @property
    def reasons(self) -> tuple[Given, ...]:
        """Why (see :mod:`forum_plugin.reasons`); set it when the event is made."""
        return decode(self.reason_data, self.reason)

    @reasons.setter
    def reasons(self, given: Sequence[Given]) -> None:
        self.reason, self.reason_data = _stored_reasons(given)


class AuditLogError(RuntimeError):
    """Something tried to change or remove a moderation event."""


@event.listens_for(ModerationEvent, "before_update")
@event.listens_for(ModerationEvent, "before_delete")
def _refuse_rewriting_history(mapper: Mapper[ModerationEvent], connection: Connection, target: ModerationEvent) -> None:
    raise AuditLogError(f"moderation event #{target.id} is part of the audit log and cannot be changed")


class Revision(Base):
    """A comment's text as it was before an edit."""

    __tablename__ = "forum_revisions"
    __table_args__ = (
        Index("ix_forum_revisions_comment", "comment_id", "created_at"),
        Base.__table_args__,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("forum_comments.id"))
    body_markdown: Mapped[str] = mapped_column(LongText)
    body_html: Mapped[str] = mapped_column(LongText)
    editor_id: Mapped[str | None] = mapped_column(String(64))
    editor_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class Flag(Base):
    """A reader's report of an approved comment; one per reader and comment."""

    __tablename__ = "forum_flags"
    __table_args__ = (
        Index("uq_forum_flags_comment_reporter", "comment_id", "reporter", unique=True),
        Base.__table_args__,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("forum_comments.id"))
    # "account:<id>" for a logged-in reader, else "ip:<keyed hash>".
    reporter: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    # When a moderator's approval answered this report; only reports not yet
    # answered count toward the threshold.
    cleared_at: Mapped[datetime | None] = mapped_column(Timestamp)


class Ban(Base):
    """Comments from a matching author are refused until ``expires_at`` (never, if None).

    ``value`` is a lower-cased email or domain, an account id, or an IP's keyed hash.
    """

    __tablename__ = "forum_bans"
    __table_args__ = (
        Index("ix_forum_bans_kind_value", "kind", "value"),
        Base.__table_args__,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(254))
    # What moderators see in place of an IP hash: which comment it came from.
    label: Mapped[str] = mapped_column(String(254), default="")
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[str | None] = mapped_column(String(64))
    created_by_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(Timestamp)

    @property
    def kind_label(self) -> str:
        """How the list of bans names :attr:`kind`, to translate; an unknown kind as it is."""
        try:
            return BanKind(self.kind).list_label
        except ValueError:
            return self.kind


class WordList(Choice):
    BANNED = "banned"
    SUSPECT = "suspect"


class Word(Base):
    """A banned or suspect word added from the dashboard, beside the config's lists."""

    __tablename__ = "forum_words"
    __table_args__ = (
        Index("uq_forum_words_list_word", "list", "word", unique=True),
        Base.__table_args__,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list: Mapped[str] = mapped_column(String(16))
    word: Mapped[str] = mapped_column(String(100))
    created_by_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class MailDigest(Base):
    """A digest mail sent to moderators, so the next one starts where it ended."""

    __tablename__ = "forum_mail_digests"
    __table_args__ = (Base.__table_args__,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_comment_id: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class MailAddress(Base):
    """An address a reader asked to be mailed at. Nothing is sent to it
    until its owner follows the confirmation link (double opt-in); ``token``
    is random and carries no personal data, and serves both the
    confirmation and the unsubscribe links."""

    __tablename__ = "forum_mail_addresses"
    __table_args__ = (
        Index("uq_forum_mail_addresses_email", "email", unique=True),
        Index("uq_forum_mail_addresses_token", "token", unique=True),
        Base.__table_args__,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Lower-cased.
    email: Mapped[str] = mapped_column(String(254))
    token: Mapped[str] = mapped_column(String(64))
    confirmed_at: Mapped[datetime | None] = mapped_column(Timestamp)
    # When the last confirmation mail went out, so a stranger's address is
    # not mailed again and again.
    confirmation_sent_at: Mapped[datetime | None] = mapped_column(Timestamp)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
