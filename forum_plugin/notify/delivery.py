"""Sending mails: SMTP, or the host's Flask-Mail. Never raises: the comment
is already committed when a mail is sent, and a mail server being down must
not turn a successful post or approval into a 500.

Mail is on only when it can really be sent: a ``FORUM_MAIL_SERVER``, or the
host's Flask-Mail with a ``MAIL_SERVER`` of its own (Flask-Mail would
otherwise try localhost), and a site address for the links. What went
wrong last is kept per app, in this process, for the dashboard
(:func:`mail_problem`).
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Sequence
from weakref import WeakKeyDictionary

from flask import Flask

from ..config import Settings
from ..i18n import N_, gettext, localized_time
from ..models import utcnow
from ..state import EXTENSION_NAME, current_flask_app
from .compose import MODERATORS, READERS, Mail, mask_email, to_email_message
from .links import site_base

if TYPE_CHECKING:
    from ..state import ForumState

SMTP_TIMEOUT = 10

NO_SITE_ADDRESS = N_(
    "Mail is off: the site's Flask-Mail has a server, but the forum does not know the site's address for "
    "the links in its mails. Set FORUM_SITE_URL (or SERVER_NAME)."
)
NO_MAIL_SERVER = N_(
    "Mail to moderators is off: FORUM_MODERATOR_EMAILS is set, but no mail server is. Set FORUM_MAIL_SERVER, "
    "or MAIL_SERVER for the site's Flask-Mail."
)
COULD_NOT_SEND = {
    MODERATORS: N_("Mail to moderators could not be sent at %(time)s: %(reason)s."),
    READERS: N_("Mail to readers could not be sent at %(time)s: %(reason)s."),
}
REFUSED = N_("the server at %(server)s refused the connection (%(error)s)")
UNREACHABLE = N_("the server at %(server)s could not be reached (%(error)s)")
UNKNOWN_HOST = N_("the name of the server %(server)s could not be looked up (%(error)s)")
TIMED_OUT = N_("the server at %(server)s did not answer in time (%(error)s)")
TLS_FAILED = N_("the server at %(server)s could not start an encrypted connection (%(error)s)")
LOGIN_REFUSED = N_("the server at %(server)s did not accept the forum's user name and password (%(error)s)")
RECIPIENT_REFUSED = N_("the server at %(server)s refused the address %(address)s (%(error)s)")
SENDER_REFUSED = N_("the server at %(server)s refused the sender address %(address)s (%(error)s)")
UNWRITABLE = N_("the mail to %(address)s could not be written (%(error)s)")
FAILED = N_("the server at %(server)s failed (%(error)s)")


@dataclass(frozen=True)
class Failure:
    """Why one mail was not sent: a sentence's msgid and its values."""

    reason: str
    values: dict[str, str] = field(default_factory=dict)
    at: datetime = field(default_factory=utcnow)


@dataclass
class _Record:
    # The last failure per audience; a mail to that audience that went out clears it.
    failures: dict[str, Failure] = field(default_factory=dict)
    logged_off_reason: str | None = None


_records: WeakKeyDictionary[Flask, _Record] = WeakKeyDictionary()


def _record(app: Flask) -> _Record:
    return _records.setdefault(app, _Record())


def _state(app: Flask) -> ForumState | None:
    return app.extensions.get(EXTENSION_NAME)


def _flask_mail_ready(app: Flask) -> bool:
    """The host's Flask-Mail, set up with a server of the host's choosing."""
    return "mail" in app.extensions and bool(app.config.get("MAIL_SERVER"))


def mail_off_reason(app: Flask) -> str | None:
    """Why ``app`` sends no mail (an English msgid), or None when it does.
    Looked at each time: Flask-Mail may be set up after the forum."""
    state = _state(app)
    if state is None:
        return N_("The forum is not set up on this app.")
    if not (state.settings.mail_server or _flask_mail_ready(app)):
        return NO_MAIL_SERVER
    if site_base(app) is None:
        return NO_SITE_ADDRESS
    return None


def mail_enabled(app: Flask | None = None) -> bool:
    """Whether ``app`` (default: the current app) would send mail.

    The comment form asks this to decide whether to offer the "notify me"
    box: offering it when nothing will ever be sent would be a lie. A
    Flask-Mail without a site address is logged, once per app.
    """
    app = app or current_flask_app()
    reason = mail_off_reason(app)
    if reason == NO_SITE_ADDRESS and _record(app).logged_off_reason != reason:
        _record(app).logged_off_reason = reason
        app.logger.error("forum: %s", reason)
    return reason is None


def mail_problem(app: Flask | None = None) -> str | None:
    """What moderators should be told about mail on this app, in their
    language: why it is off although it was asked for, or what the server
    said when it last refused; None when all is well.

    Failures are those of this process since it started.
    """
    app = app or current_flask_app()
    failures = _record(app).failures
    for audience, headline in COULD_NOT_SEND.items():
        failure = failures.get(audience)
        if failure is not None:
            reason = gettext(failure.reason, **failure.values)
            return gettext(headline, time=localized_time(failure.at), reason=reason)
    off = mail_off_reason(app)
    state = _state(app)
    if off == NO_SITE_ADDRESS or (off == NO_MAIL_SERVER and state is not None and state.settings.moderator_emails):
        return gettext(off)
    return None


def _sender(app: Flask) -> str | None:
    """The From address: FORUM_MAIL_SENDER, else what the transport would use."""
    settings: Settings = app.extensions[EXTENSION_NAME].settings
    if settings.mail_sender:
        return settings.mail_sender
    if settings.mail_server:
        return f"forum@{socket.getfqdn()}"
    # Flask-Mail fills in its MAIL_DEFAULT_SENDER.
    return None


def _error_text(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        message = (
            error.smtp_error.decode("utf-8", "replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        )
        return f"{error.smtp_code} {message}".strip()
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def describe(error: BaseException, server: str, mail: Mail | None = None) -> Failure:
    """What a delivery error means, in words a site owner can act on."""
    values = {"server": server, "error": _error_text(error)}
    shown = None if mail is None else (mail.to if mail.audience == MODERATORS else mask_email(mail.to))
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = next(iter(error.recipients.values()), None)
        text = _error_text(smtplib.SMTPResponseException(*refused)) if refused else values["error"]
        return Failure(RECIPIENT_REFUSED, {**values, "error": text, "address": shown or "?"})
    if isinstance(error, smtplib.SMTPSenderRefused):
        return Failure(SENDER_REFUSED, {**values, "address": str(error.sender)})
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return Failure(LOGIN_REFUSED, values)
    if isinstance(error, ValueError):
        return Failure(UNWRITABLE, {**values, "address": shown or "?"})
    if isinstance(error, ConnectionRefusedError):
        return Failure(REFUSED, values)
    if isinstance(error, socket.gaierror):
        return Failure(UNKNOWN_HOST, values)
    if isinstance(error, TimeoutError):
        return Failure(TIMED_OUT, values)
    if isinstance(error, ssl.SSLError):
        return Failure(TLS_FAILED, values)
    if isinstance(error, OSError):
        return Failure(UNREACHABLE, values)
    return Failure(FAILED, values)


def _remember(app: Flask, mails: Sequence[Mail], outcomes: Sequence[Failure | None]) -> None:
    """Keep the last failure per audience; one mail that went out clears its audience's."""
    failures = _record(app).failures
    for mail, outcome in zip(mails, outcomes, strict=True):
        if outcome is None:
            failures.pop(mail.audience, None)
    for mail, outcome in zip(mails, outcomes, strict=True):
        if outcome is not None:
            failures[mail.audience] = outcome


def deliver(app: Flask, mails: Sequence[Mail]) -> int:
    """Send ``mails``; return how many the server accepted.

    Sends nothing while :func:`mail_enabled` is False. Never raises: a
    failure is logged as a warning and recorded for :func:`mail_problem`,
    and the rest carry on, because every caller runs after its comment was
    committed.
    """
    if not mails or not mail_enabled(app):
        return 0
    if app.extensions[EXTENSION_NAME].settings.mail_server:
        outcomes = _deliver_smtp(app, mails)
    else:
        outcomes = _deliver_flask_mail(app, mails)
    _remember(app, mails, outcomes)
    return sum(outcome is None for outcome in outcomes)


def _deliver_smtp(app: Flask, mails: Sequence[Mail]) -> list[Failure | None]:
    settings = app.extensions[EXTENSION_NAME].settings
    server = f"{settings.mail_server}:{settings.mail_port}"
    sender = _sender(app)
    assert sender is not None
    outcomes: list[Failure | None] = []
    try:
        with smtplib.SMTP(settings.mail_server, int(settings.mail_port), timeout=SMTP_TIMEOUT) as smtp:
            if settings.mail_use_tls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.mail_username:
                smtp.login(settings.mail_username, settings.mail_password or "")
            for mail in mails:
                # One refused recipient must not cost the others their mail.
                try:
                    smtp.send_message(to_email_message(mail, sender))
                    outcomes.append(None)
                except (
                    smtplib.SMTPRecipientsRefused,
                    smtplib.SMTPResponseException,
                    smtplib.SMTPNotSupportedError,
                    ValueError,
                ) as error:
                    app.logger.warning("forum: could not mail %s: %s", mail.to, error)
                    outcomes.append(describe(error, server, mail))
    except (OSError, smtplib.SMTPException) as error:
        app.logger.warning(
            "forum: mail server %s failed, %d of %d mails not sent: %s",
            server,
            len(mails) - outcomes.count(None),
            len(mails),
            error,
        )
        failure = describe(error, server)
        outcomes += [failure] * (len(mails) - len(outcomes))
    return outcomes


def _deliver_flask_mail(app: Flask, mails: Sequence[Mail]) -> list[Failure | None]:
    """Hand the mails to the host's Flask-Mail, so its settings (and its
    test-mode suppression) apply. Imported here: Flask-Mail is the host's
    choice, not a dependency of the forum."""
    from flask_mail import Message

    extension = app.extensions["mail"]
    server = f"{getattr(extension, 'server', app.config.get('MAIL_SERVER'))}:{getattr(extension, 'port', 25)}"
    sender = _sender(app)
    outcomes: list[Failure | None] = []
    for mail in mails:
        try:
            extension.send(
                Message(
                    subject=mail.subject,
                    recipients=[mail.to],
                    body=mail.body,
                    sender=sender,
                    charset="utf-8",
                    extra_headers={**dict(mail.raw_headers), "Auto-Submitted": "auto-generated"},
                )
            )
            outcomes.append(None)
        # Flask-Mail raises SMTP and socket errors, and an AssertionError
        # when no sender is configured; none of them may reach the reader.
        except Exception as error:
            app.logger.warning("forum: Flask-Mail could not mail %s: %s", mail.to, error)
            outcomes.append(describe(error, server, mail))
    return outcomes
