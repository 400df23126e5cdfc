"""Sending mails: SMTP, or the host's Flask-Mail. Never raises: the comment
is already committed when a mail is sent, and a mail server being down must
not turn a successful post or approval into a 500."""

from __future__ import annotations

import smtplib
import socket
import ssl
from typing import TYPE_CHECKING, Sequence

from flask import Flask, current_app

from ..state import EXTENSION_NAME
from .compose import Mail, to_email_message

if TYPE_CHECKING:
    from ..state import ForumState

SMTP_TIMEOUT = 10


def _state(app: Flask) -> ForumState | None:
    return app.extensions.get(EXTENSION_NAME)


def mail_enabled(app: Flask | None = None) -> bool:
    """Whether ``app`` (default: the current app) would send mail.

    The comment form asks this to decide whether to offer the "notify me"
    box: offering it when nothing will ever be sent would be a lie.
    """
    app = app or current_app._get_current_object()
    state = _state(app)
    if state is None:
        return False
    return bool(state.settings.mail_server) or "mail" in app.extensions


def mail_problem(app: Flask | None = None) -> str | None:
    """What moderators should be told about mail on this app: why it is off
    although it was asked for, or what the server said when it last refused;
    None when all is well."""
    app = app or current_app._get_current_object()
    return _problems.get(id(app))


# The last delivery failure per app (in this process), for the dashboard.
_problems: dict[int, str] = {}


def _sender(app: Flask) -> str | None:
    """The From address: FORUM_MAIL_SENDER, else what the transport would use."""
    settings = app.extensions[EXTENSION_NAME].settings
    if settings.mail_sender:
        return settings.mail_sender
    if settings.mail_server:
        return f"forum@{socket.getfqdn()}"
    # Flask-Mail fills in its MAIL_DEFAULT_SENDER.
    return None


def deliver(app: Flask, mails: Sequence[Mail]) -> int:
    """Send ``mails``; return how many the server accepted.

    Never raises: a failure is logged as a warning and the rest carry on,
    because every caller runs after its comment was committed.
    """
    if not mails:
        return 0
    settings = app.extensions[EXTENSION_NAME].settings
    if settings.mail_server:
        return _deliver_smtp(app, mails)
    if "mail" in app.extensions:
        return _deliver_flask_mail(app, mails)
    return 0


def _deliver_smtp(app: Flask, mails: Sequence[Mail]) -> int:
    settings = app.extensions[EXTENSION_NAME].settings
    sender = _sender(app)
    assert sender is not None
    sent = 0
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
                    sent += 1
                except (
                    smtplib.SMTPRecipientsRefused,
                    smtplib.SMTPResponseException,
                    smtplib.SMTPNotSupportedError,
                    ValueError,
                ) as error:
                    app.logger.warning("forum: could not mail %s: %s", mail.to, error)
    except (OSError, smtplib.SMTPException) as error:
        app.logger.warning(
            "forum: mail server %s:%s failed, %d of %d mails not sent: %s",
            settings.mail_server,
            settings.mail_port,
            len(mails) - sent,
            len(mails),
            error,
        )
    return sent


def _deliver_flask_mail(app: Flask, mails: Sequence[Mail]) -> int:
    """Hand the mails to the host's Flask-Mail, so its settings (and its
    test-mode suppression) apply. Imported here: Flask-Mail is the host's
    choice, not a dependency of the forum."""
    from flask_mail import Message

    extension = app.extensions["mail"]
    sender = _sender(app)
    sent = 0
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
            sent += 1
        # Flask-Mail raises SMTP and socket errors, and an AssertionError
        # when no sender is configured; none of them may reach the reader.
        except Exception as error:
            app.logger.warning("forum: Flask-Mail could not mail %s: %s", mail.to, error)
    return sent
