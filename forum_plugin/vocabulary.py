"""The forum's fixed vocabulary, each word defined once with what people read.

Comment statuses, moderation actions, ban kinds and audit-log actions are
str enums: a member compares equal to, and is stored as, its value, so rows
written before these enums existed read the same. Each member carries its
English texts, marked for the catalog with :func:`N_` (or :func:`NP_` when
the same English word needs another translation elsewhere); the templates,
forms, views and the README tables are derived from here, so adding a
status or an action is one member here plus its translations (and, for a
status, a count column on ``forum_threads`` with its migration).

Pure: imports no Flask, so that the policy and the models can use it.
Running ``python -m forum_plugin.vocabulary`` prints the README's tables.
"""

from __future__ import annotations

import enum
from typing import Any, NamedTuple, TypeVar, overload


def N_(text: str) -> str:
    """Mark ``text`` for the forum's catalog without translating it here:
    the code or template that shows it translates it then."""
    return text


class Phrase(NamedTuple):
    """An English text with the context that tells its translation apart
    from the same English elsewhere; templates show it with ``forum_p(*phrase)``."""

    context: str
    text: str


def NP_(context: str, text: str) -> Phrase:  # noqa: N802 (named like N_, its sibling)
    """Mark ``text`` in ``context`` for the forum's catalog, like :func:`N_`."""
    return Phrase(context, text)


_Kind = TypeVar("_Kind", bound="Choice")


class Choice(str, enum.Enum):
    """A fixed set of values stored as text; prints as its value.

    A subclass with texts gives each member a tuple (value, texts...) and a
    ``__new__`` that keeps them; ``Kind("value")`` still looks a member up
    (the enum machinery answers that call without ``__new__``), which the
    first overload of each ``__new__`` says for type checkers.
    """

    _value_: str

    def __str__(self) -> str:
        return self.value

    @classmethod
    def _member(cls: type[_Kind], value: str) -> _Kind:
        member = str.__new__(cls, value)
        member._value_ = value
        return member


class Status(Choice):
    """Where a comment stands in moderation."""

    # In a sentence ("Comment #3 is pending"), and on the dashboard's tab.
    label: str
    tab_label: str
    # Off the page by a decision; "restore" brings it back.
    removed: bool
    # Held against its author: counts in their record as a refusal.
    refused: bool
    # Its author is told their comment awaits moderation, and sees it on the
    # page as their own pending comment (a silent ban keeps spam that way).
    author_sees_pending: bool
    # The name of the signal (in ``forum_plugin.signals``) a comment moving
    # here sends; None: no signal.
    signal: str | None
    # What it means, for the README (English only).
    meaning: str

    @overload
    def __new__(cls, value: str) -> Status: ...
    @overload
    def __new__(
        cls,
        value: str,
        label: str,
        tab_label: str,
        removed: bool,
        refused: bool,
        author_sees_pending: bool,
        signal: str | None,
        meaning: str,
        /,
    ) -> Status: ...
    def __new__(cls, value: str, *texts: Any) -> Status:
        member = cls._member(value)
        (
            member.label,
            member.tab_label,
            member.removed,
            member.refused,
            member.author_sees_pending,
            member.signal,
            member.meaning,
        ) = texts
        return member

    PENDING = (
        "pending",
        N_("pending"),
        N_("Pending"),
        False,
        False,
        True,
        None,
        "Waiting for a moderator; only its author sees it.",
    )
    APPROVED = (
        "approved",
        N_("approved"),
        N_("Approved"),
        False,
        False,
        False,
        "comment-approved",
        "Published: every reader sees it.",
    )
    REJECTED = (
        "rejected",
        N_("rejected"),
        N_("Rejected"),
        True,
        True,
        False,
        "comment-rejected",
        "Refused by a moderator or a rule.",
    )
    SPAM = (
        "spam",
        N_("spam"),
        N_("Spam"),
        True,
        True,
        True,
        "comment-rejected",
        "Refused as spam; a silent ban keeps it here unannounced.",
    )
    DELETED = (
        "deleted",
        N_("deleted"),
        N_("Deleted"),
        True,
        False,
        False,
        "comment-deleted",
        "Removed by a moderator or its author.",
    )

    @property
    def count_column(self) -> str:
        """The ``forum_threads`` column that counts comments in this status."""
        return f"{self.value}_count"


_UNDECIDED = (Status.PENDING,)
_NOT_REMOVED = tuple(status for status in Status if not status.removed)
_REMOVED = tuple(status for status in Status if status.removed)


class Action(Choice):
    """What a moderator can do to comments, on the dashboard or with ``comments.moderate``.

    Texts in context "moderation action" are the buttons' ("Spam" the
    action, not the tab); those in context "audit log" name it in the log,
    where its value is stored.
    """

    # The status it moves a comment to; None: back where it was before it was removed.
    target: Status | None
    # The statuses whose comments show its button (the menu for ticked comments offers every action).
    offered_for: tuple[Status, ...]
    # A comment's button, and the menu for the ticked comments.
    button: Phrase
    menu_label: str
    # What the moderator reads afterwards ("Approved: comment #3 by Mali."),
    # or when the comment already was where the action leads.
    done: str
    nothing_to_do: str
    # Its name in the audit log.
    logged: Phrase

    @overload
    def __new__(cls, value: str) -> Action: ...
    @overload
    def __new__(
        cls,
        value: str,
        target: Status | None,
        offered_for: tuple[Status, ...],
        button: Phrase,
        menu_label: str,
        done: str,
        nothing_to_do: str,
        logged: Phrase,
        /,
    ) -> Action: ...
    def __new__(cls, value: str, *texts: Any) -> Action:
        member = cls._member(value)
        (
            member.target,
            member.offered_for,
            member.button,
            member.menu_label,
            member.done,
            member.nothing_to_do,
            member.logged,
        ) = texts
        return member

    APPROVE = (
        "approve",
        Status.APPROVED,
        _UNDECIDED,
        NP_("moderation action", "Approve"),
        N_("Approve"),
        N_("Approved"),
        N_("Comment #%(id)s is %(status)s; nothing to approve."),
        NP_("audit log", "approve"),
    )
    REJECT = (
        "reject",
        Status.REJECTED,
        _NOT_REMOVED,
        NP_("moderation action", "Reject"),
        N_("Reject"),
        N_("Rejected"),
        N_("Comment #%(id)s is %(status)s; nothing to reject."),
        NP_("audit log", "reject"),
    )
    SPAM = (
        "spam",
        Status.SPAM,
        _NOT_REMOVED,
        NP_("moderation action", "Spam"),
        N_("Mark as spam"),
        N_("Marked as spam"),
        N_("Comment #%(id)s is %(status)s; nothing to spam."),
        NP_("audit log", "spam"),
    )
    DELETE = (
        "delete",
        Status.DELETED,
        _NOT_REMOVED,
        NP_("moderation action", "Delete"),
        N_("Delete"),
        N_("Deleted"),
        N_("Comment #%(id)s is %(status)s; nothing to delete."),
        NP_("audit log", "delete"),
    )
    RESTORE = (
        "restore",
        None,
        _REMOVED,
        NP_("moderation action", "Restore"),
        N_("Restore"),
        N_("Restored"),
        N_("Comment #%(id)s is %(status)s; nothing to restore."),
        NP_("audit log", "restore"),
    )


class BanKind(Choice):
    """What a ban matches an author by."""

    # On the ban list's form, and in its table of bans in force.
    form_label: str
    list_label: str
    # In a queued comment's "Ban this author" menu; the second when the
    # comment came from an address many readers share.
    menu_label: str
    shared_menu_label: str
    # The comment's column the ban takes its value from: offered only when it is set.
    comment_field: str
    # Its comments are kept as spam without telling the writer, whatever
    # FORUM_BAN_SILENT says: anyone can type someone else's address into the
    # form, and a refusal would tell them its owner was banned.
    always_silent: bool

    @overload
    def __new__(cls, value: str) -> BanKind: ...
    @overload
    def __new__(
        cls,
        value: str,
        form_label: str,
        list_label: str,
        menu_label: str,
        shared_menu_label: str,
        comment_field: str,
        always_silent: bool,
        /,
    ) -> BanKind: ...
    def __new__(cls, value: str, *texts: Any) -> BanKind:
        member = cls._member(value)
        (
            member.form_label,
            member.list_label,
            member.menu_label,
            member.shared_menu_label,
            member.comment_field,
            member.always_silent,
        ) = texts
        return member

    EMAIL = ("email", N_("Email address"), N_("email"), N_("email"), N_("email"), "author_email", True)
    DOMAIN = ("domain", N_("Email domain"), N_("domain"), N_("email domain"), N_("email domain"), "author_email", True)
    ACCOUNT = ("account", N_("Account"), N_("account"), N_("account"), N_("account"), "author_id", False)
    IP = (
        "ip",
        N_("IP address"),
        N_("ip"),
        N_("IP address (asks first)"),
        N_("IP address (shared by a network: asks first)"),
        "ip_hash",
        False,
    )


class EditVerdict(Choice):
    """A moderator's answer to an author's held edit of a published comment."""

    # Its button under the proposed text, styled like the moderation action's.
    button: str
    looks_like: Action
    # What the moderator reads afterwards.
    done: str

    @overload
    def __new__(cls, value: str) -> EditVerdict: ...
    @overload
    def __new__(cls, value: str, button: str, looks_like: Action, done: str, /) -> EditVerdict: ...
    def __new__(cls, value: str, *texts: Any) -> EditVerdict:
        member = cls._member(value)
        member.button, member.looks_like, member.done = texts
        return member

    ACCEPT = ("accept", N_("Accept edit"), Action.APPROVE, N_("Accepted the edit of comment #%(id)s."))
    REFUSE = ("refuse", N_("Refuse edit"), Action.REJECT, N_("Refused the edit of comment #%(id)s."))


class AuditAction(Choice):
    """What an audit-log row records, besides the moderation actions (:class:`Action`)."""

    # Its name in the audit log, where its value is stored.
    logged: Phrase
    # The author's own doing, not a moderator's: a moderator's decision
    # ends the author's right to change their comment.
    by_author: bool

    @overload
    def __new__(cls, value: str) -> AuditAction: ...
    @overload
    def __new__(cls, value: str, logged: Phrase, by_author: bool, /) -> AuditAction: ...
    def __new__(cls, value: str, *texts: Any) -> AuditAction:
        member = cls._member(value)
        member.logged, member.by_author = texts
        return member

    POST = ("post", NP_("audit log", "post"), True)
    AUTHOR_EDIT = ("author edit", NP_("audit log", "author edit"), True)
    AUTHOR_EDIT_HELD = ("author edit held", NP_("audit log", "author edit held"), True)
    AUTHOR_EDIT_REFUSED = ("author edit refused", NP_("audit log", "author edit refused"), True)
    EDIT = ("edit", NP_("audit log", "edit"), False)
    ACCEPT_EDIT = ("accept edit", NP_("audit log", "accept edit"), False)
    REFUSE_EDIT = ("refuse edit", NP_("audit log", "refuse edit"), False)
    REPORT = ("report", NP_("audit log", "report"), False)
    BAN = ("ban", NP_("audit log", "ban"), False)
    LIFT_BAN = ("lift ban", NP_("audit log", "lift ban"), False)
    ADD_WORD = ("add word", NP_("audit log", "add word"), False)
    REMOVE_WORD = ("remove word", NP_("audit log", "remove word"), False)
    ERASE = ("erase", NP_("audit log", "erase"), False)
    IMPORT = ("import", NP_("audit log", "import"), False)


_LOGGED_AS = {member.value: member.logged for member in Action} | {
    member.value: member.logged for member in AuditAction
}


def logged_as(stored: str) -> Phrase:
    """How the audit log names a stored action; a value no enum knows
    (written by an older version or by hand) as it is."""
    return _LOGGED_AS.get(stored) or Phrase("audit log", stored)


def _markdown_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = [header, tuple("---" for _ in header), *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def _listed(statuses: tuple[Status, ...]) -> str:
    return ", ".join(f"`{status.value}`" for status in statuses)


def status_table() -> str:
    """The README's table of statuses."""
    return _markdown_table(
        ("Status", "Dashboard tab", "Removed", "Meaning"),
        [
            (f"`{status.value}`", status.tab_label, "yes" if status.removed else "no", status.meaning)
            for status in Status
        ],
    )


def action_table() -> str:
    """The README's table of moderation actions."""
    return _markdown_table(
        ("Action", "Button", "Moves a comment to", "Offered for"),
        [
            (
                f"`{action.value}`",
                action.button.text,
                f"`{action.target.value}`" if action.target else "where it was before it was removed",
                _listed(action.offered_for),
            )
            for action in Action
        ],
    )


def readme_tables() -> str:
    """What README.md shows between its vocabulary markers."""
    return f"{status_table()}\n\n{action_table()}"


if __name__ == "__main__":
    print(readme_tables())
