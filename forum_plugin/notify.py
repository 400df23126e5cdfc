"""Email notifications: moderators hear of pending comments, authors of
their published comments and of replies to them.

Three layers, kept apart so each can be read and tested on its own:

- **Composing** (:class:`Mail` and the ``*_mail`` functions) is pure: it
  turns comments, threads and ready-made links into plain text mails and
  knows nothing of Flask, databases or sockets.
- **Deciding** (the signal receivers and :func:`send_digest`) runs inside
  the app: it reads settings, loads threads and parents, builds links and
  applies the one rule that matters most: a reader is never mailed about a
  comment that is not approved, so the forum cannot be used to relay spam.
  Moderators, whose job is to read pending comments, are the only exception.
- **Sending** (:func:`deliver`) speaks SMTP, or hands the mails to the
  host's Flask-Mail. It never raises: the comment is already committed when
  the signal fires, and a mail server being down must not turn a successful
  post or approval into a 500.

Mail is off unless ``FORUM_MAIL_SERVER`` is set or the host has Flask-Mail;
with it off every receiver returns at once.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from email import policy as email_policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING, Any, Callable, Sequence
from urllib.parse import urljoin, urlsplit

import click
from flask import Flask, current_app, has_request_context, request, url_for
from flask.cli import with_appcontext
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select

from . import policy, signals
from .models import Comment, MailDigest, ModerationEvent, Status, Thread
from .state import EXTENSION_NAME, get_state
from .threads import permalink

if TYPE_CHECKING:
    from .state import ForumState

UNSUBSCRIBE_SALT = "forum-unsubscribe"
SMTP_TIMEOUT = 10
# A digest lists at most this many comments in full; the rest are counted,
# so a flood of spam cannot produce a mail no one can open.
DIGEST_LIMIT = 50
DIGEST_EXCERPT = 600
# Subjects are folded by the email package; keep them short enough to read.
SUBJECT_TITLE_LIMIT = 120

# The email package folds a long header with no spaces (an unsubscribe URL)
# into RFC 2047 encoded words, which mail clients do not decode in
# List-Unsubscribe. Headers stored raw are left alone under this policy;
# headers set the normal way are still folded and encoded as they must be.
MESSAGE_POLICY = email_policy.SMTP.clone(refold_source="none")


# --- composing (pure) -------------------------------------------------------


@dataclass(frozen=True)
class Mail:
    """One plain-text mail to one recipient, before it has a sender.

    ``raw_headers`` are set verbatim (see :data:`MESSAGE_POLICY`), so they
    must only ever hold values the forum built itself, such as its own URLs.
    """

    to: str
    subject: str
    body: str
    raw_headers: tuple[tuple[str, str], ...] = ()


def _one_line(text: str, limit: int = SUBJECT_TITLE_LIMIT) -> str:
    """``text`` on one line and at most ``limit`` characters, for a subject.

    Titles come from host pages; a stray newline must not break the header.
    """
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _indented(text: str) -> str:
    """A comment's source set off from the mail's own words."""
    return "\n".join("    " + line if line.strip() else "" for line in text.strip().splitlines())


def _excerpt(text: str, limit: int = DIGEST_EXCERPT) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit].rstrip() + " […]"


def _unsubscribe_footer(unsubscribe_url: str) -> str:
    return (
        "\n-- \n"
        "You get this because you ticked \"Email me when my comment is published or answered\".\n"
        "To stop all such emails, open:\n"
        f"{unsubscribe_url}\n"
    )


def _why_held(comment: Comment) -> str:
    return policy.why_held(comment.moderation_reason) or "(no reason recorded)"


def pending_mail(comment: Comment, thread: Thread, dashboard_url: str, to: str) -> Mail:
    """Tell a moderator that ``comment`` waits for a decision, with all they need to make it."""
    title = _one_line(thread.title)
    reply = f"In reply to: comment #{comment.parent_id}\n" if comment.parent_id else ""
    body = (
        f"A new comment is waiting for moderation on \"{title}\".\n\n"
        f"Author: {comment.author_name}\n"
        f"Email: {comment.author_email or '(none given)'}\n"
        f"Thread: {title}\n"
        f"{reply}"
        f"Why held: {_why_held(comment)}\n"
        "\nWhat they wrote (Markdown source, not yet published):\n\n"
        f"{_indented(comment.body_markdown)}\n\n"
        "Approve or reject it on the moderation dashboard:\n"
        f"{dashboard_url}\n"
    )
    return Mail(to=to, subject=f"New comment to moderate on \"{title}\"", body=body)


def published_mail(comment: Comment, thread: Thread, comment_url: str, unsubscribe_url: str) -> Mail:
    """Tell an author that their comment is now public."""
    assert comment.author_email, "only authors with an address are mailed"
    title = _one_line(thread.title)
    body = (
        f"Hello {comment.author_name},\n\n"
        f"Your comment on \"{title}\" has been published:\n"
        f"{comment_url}\n"
        f"{_unsubscribe_footer(unsubscribe_url)}"
    )
    return Mail(
        to=comment.author_email,
        subject=f"Your comment on \"{title}\" was published",
        body=body,
        raw_headers=(("List-Unsubscribe", f"<{unsubscribe_url}>"),),
    )


def reply_mail(reply: Comment, parent: Comment, thread: Thread, reply_url: str, unsubscribe_url: str) -> Mail:
    """Tell the author of ``parent`` that an approved ``reply`` answers them."""
    assert parent.author_email, "only authors with an address are mailed"
    title = _one_line(thread.title)
    body = (
        f"Hello {parent.author_name},\n\n"
        f"{reply.author_name} replied to your comment on \"{title}\":\n\n"
        f"{_indented(reply.body_markdown)}\n\n"
        "Read it and answer:\n"
        f"{reply_url}\n"
        f"{_unsubscribe_footer(unsubscribe_url)}"
    )
    return Mail(
        to=parent.author_email,
        subject=f"New reply to your comment on \"{title}\"",
        body=body,
        raw_headers=(("List-Unsubscribe", f"<{unsubscribe_url}>"),),
    )


def digest_mail(entries: Sequence[tuple[Comment, Thread]], total: int, dashboard_url: str, to: str) -> Mail:
    """One mail listing the first of ``total`` new pending comments for a moderator."""
    noun = "comment" if total == 1 else "comments"
    parts = [f"{total} new {noun} waiting for moderation since the last digest.\n"]
    for comment, thread in entries:
        parts.append(
            f"#{comment.id} by {comment.author_name} <{comment.author_email or 'no email'}>"
            f" on \"{_one_line(thread.title)}\"\n"
            f"Why held: {_why_held(comment)}\n\n"
            f"{_indented(_excerpt(comment.body_markdown))}\n"
        )
    if total > len(entries):
        parts.append(f"… and {total - len(entries)} more.\n")
    parts.append(f"Approve or reject them on the moderation dashboard:\n{dashboard_url}\n")
    return Mail(to=to, subject=f"{total} new {noun} to moderate", body="\n".join(parts))


def to_email_message(mail: Mail, sender: str) -> EmailMessage:
    """The ``EmailMessage`` for ``mail``, UTF-8 throughout.

    :raises ValueError: when an address or header cannot be written, e.g. a
        newline smuggled into it.
    """
    message = EmailMessage(policy=MESSAGE_POLICY)
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    # Tells vacation responders and the like not to answer.
    message["Auto-Submitted"] = "auto-generated"
    for name, value in mail.raw_headers:
        if "\r" in value or "\n" in value:
            raise ValueError(f"{name} may not contain a line break")
        message.set_raw(name, value)
    message.set_content(mail.body, charset="utf-8")
    return message


def unsubscribe_token(secret: str | bytes, email: str) -> str:
    """A token naming ``email`` that only this site can have made."""
    return URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT).dumps(email.strip().lower())


def read_unsubscribe_token(secret: str | bytes, token: str) -> str | None:
    """The address ``token`` was made for, or None when it was not made with ``secret``."""
    try:
        email = URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT).loads(token)
    except BadSignature:
        return None
    return email if isinstance(email, str) and "@" in email else None


def mask_email(email: str) -> str:
    """``m***@example.org``: enough for its owner to recognise, little for anyone else."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


# --- sending -----------------------------------------------------------------


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


# --- deciding ------------------------------------------------------------------


def _absolute(url: str) -> str:
    """``url`` (a host path or a full URL) as a full URL, for a mail.

    In a request the reader's own host is used; outside one (a command),
    Flask's SERVER_NAME.
    """
    if urlsplit(url).scheme in ("http", "https"):
        return url
    if has_request_context():
        return urljoin(request.host_url, url.lstrip("/"))
    root = url_for("forum.moderation", _external=True)  # raises without SERVER_NAME
    parts = urlsplit(root)
    return urljoin(f"{parts.scheme}://{parts.netloc}/", url.lstrip("/"))


def comment_url(thread: Thread, comment_id: int) -> str:
    """The full address of a comment on its host page.

    :raises RuntimeError: outside a request when SERVER_NAME is not set.
    """
    return permalink(_absolute(thread.url), comment_id)


def unsubscribe_url(app: Flask, email: str) -> str:
    """The signed page where the owner of ``email`` stops these mails.

    :raises RuntimeError: outside a request when SERVER_NAME is not set.
    """
    return url_for("forum.unsubscribe", token=unsubscribe_token(app.secret_key or "", email), _external=True)


def dashboard_url(app: Flask) -> str:
    """The moderation queue's address; its path alone when no host is known
    (a command run without SERVER_NAME), which is still better than no mail."""
    try:
        return url_for("forum.moderation", _external=True)
    except RuntimeError:
        app.logger.warning("forum: set SERVER_NAME so mails to moderators can link to the dashboard")
        adapter = app.url_map.bind("localhost", script_name=app.config.get("APPLICATION_ROOT") or "/")
        return adapter.build("forum.moderation")


def _same_address(a: str | None, b: str | None) -> bool:
    return bool(a and b and a.strip().lower() == b.strip().lower())


def _first_approval(session: Any, comment_id: int) -> bool:
    """Whether this is the comment's first approval, so that a comment sent
    back to the queue and approved again does not mail anyone twice."""
    approvals = session.scalar(
        select(func.count())
        .select_from(ModerationEvent)
        .where(ModerationEvent.comment_id == comment_id, ModerationEvent.to_status == Status.APPROVED.value)
    )
    return (approvals or 0) <= 1


def mails_for_pending(app: Flask, comment: Comment) -> list[Mail]:
    """One mail per moderator address about a new pending ``comment``, or none
    in digest mode (the digest command tells them instead)."""
    state = app.extensions[EXTENSION_NAME]
    settings = state.settings
    if comment.status != Status.PENDING or settings.mail_digest_minutes or not settings.moderator_emails:
        return []
    thread = state.db.session.get(Thread, comment.thread_id)
    link = f"{dashboard_url(app)}#queue-{comment.id}"
    return [pending_mail(comment, thread, link, to) for to in settings.moderator_emails]


def mails_for_approved(app: Flask, comment: Comment) -> list[Mail]:
    """The author's "published" mail and the parent author's "new reply" mail,
    for those who asked. Nothing unless ``comment`` is approved."""
    if comment.status != Status.APPROVED:
        return []
    session = app.extensions[EXTENSION_NAME].db.session
    parent = session.get(Comment, comment.parent_id) if comment.parent_id is not None else None
    tell_author = bool(comment.notify and comment.author_email)
    tell_parent = bool(
        parent is not None
        and parent.status == Status.APPROVED
        and parent.notify
        and parent.author_email
        and not _same_address(parent.author_email, comment.author_email)
    )
    if not (tell_author or tell_parent) or not _first_approval(session, comment.id):
        return []
    thread = session.get(Thread, comment.thread_id)
    try:
        link = comment_url(thread, comment.id)
        mails = []
        if tell_author:
            mails.append(published_mail(comment, thread, link, unsubscribe_url(app, comment.author_email)))
        if tell_parent:
            mails.append(reply_mail(comment, parent, thread, link, unsubscribe_url(app, parent.author_email)))
    except RuntimeError as error:
        # A reader's mail without working links (and without a way out) is
        # worse than none.
        app.logger.warning("forum: no mail about comment #%s: cannot build links (%s)", comment.id, error)
        return []
    return mails


def _guarded(build: Callable[[Flask, Comment], list[Mail]], app: Flask, comment: Comment) -> None:
    """Build and send, never letting an error reach the request that
    committed the comment."""
    if not mail_enabled(app):
        return
    try:
        mails = build(app, comment)
    except Exception:
        app.logger.exception("forum: could not prepare mail about comment #%s", getattr(comment, "id", "?"))
        return
    deliver(app, mails)


def on_comment_posted(sender: Flask, comment: Comment, **extra: Any) -> None:
    """Receiver of :data:`~forum_plugin.signals.comment_posted`."""
    _guarded(mails_for_pending, sender, comment)


def on_comment_approved(sender: Flask, comment: Comment, **extra: Any) -> None:
    """Receiver of :data:`~forum_plugin.signals.comment_approved`."""
    _guarded(mails_for_approved, sender, comment)


signals.comment_posted.connect(on_comment_posted)
signals.comment_approved.connect(on_comment_approved)


# --- the digest ----------------------------------------------------------------


@dataclass(frozen=True)
class DigestResult:
    comments: int
    sent: int
    recipients: int


def send_digest(app: Flask) -> DigestResult | None:
    """Mail moderators the pending comments that arrived since the last
    digest, and record where this one ended. None when nothing is new.

    The :class:`~forum_plugin.models.MailDigest` row is written only when at
    least one moderator got the mail, so a failed run is repeated by the next.
    """
    state = app.extensions[EXTENSION_NAME]
    session = state.db.session
    last = session.scalar(select(func.max(MailDigest.last_comment_id))) or 0
    new = (Comment.status == Status.PENDING.value, Comment.id > last)
    total, newest = session.execute(select(func.count(), func.max(Comment.id)).where(*new)).one()
    if not total:
        return None
    entries: list[tuple[Comment, Thread]] = list(
        session.execute(
            select(Comment, Thread)
            .join(Thread, Comment.thread_id == Thread.id)
            .where(*new)
            .order_by(Comment.id)
            .limit(DIGEST_LIMIT)
        )
    )
    link = dashboard_url(app)
    recipients = state.settings.moderator_emails
    sent = deliver(app, [digest_mail(entries, total, link, to) for to in recipients])
    if sent:
        session.add(MailDigest(last_comment_id=newest))
        session.commit()
    return DigestResult(comments=total, sent=sent, recipients=len(recipients))


@click.command("mail-digest")
@with_appcontext
def digest_command() -> None:
    """Mail moderators one list of the comments waiting since the last digest.

    Meant for cron every FORUM_MAIL_DIGEST_MINUTES minutes; prints and sends
    nothing when no new comment waits.
    """
    app = current_app._get_current_object()
    settings = get_state().settings
    if not mail_enabled(app):
        raise click.ClickException("Mail is off: set FORUM_MAIL_SERVER (or set up Flask-Mail).")
    if not settings.moderator_emails:
        raise click.ClickException("FORUM_MODERATOR_EMAILS is empty, so there is nobody to send a digest to.")
    result = send_digest(app)
    if result is None:
        return
    if not result.sent:
        raise click.ClickException(
            f"The digest of {result.comments} comments could not be sent (see the log); the next run tries again."
        )
    noun = "comment" if result.comments == 1 else "comments"
    click.echo(f"Sent a digest of {result.comments} pending {noun} to {result.sent} of {result.recipients} moderators.")
