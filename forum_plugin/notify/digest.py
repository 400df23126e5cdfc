"""The moderators' digest: one mail listing the comments that arrived since
the last one, sent by ``flask forum mail-digest`` from cron."""

from __future__ import annotations

from dataclasses import dataclass

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import func, select

from ..models import Comment, MailDigest, Status, Thread
from ..state import EXTENSION_NAME, current_flask_app, get_state
from .compose import digest_mail
from .delivery import deliver, mail_enabled, mail_off_reason
from .links import dashboard_link, site_base
from .texts import texts_for

# A digest lists at most this many comments in full; the rest are counted,
# so a flood of spam cannot produce a mail no one can open.
DIGEST_LIMIT = 50


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
    Call it only while :func:`~.delivery.mail_enabled` is True.
    """
    base = site_base(app)
    assert base is not None, "mail is on, so the site's address is known"
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
    link = dashboard_link(app, base)
    recipients = state.settings.moderator_emails
    texts = texts_for(app)
    sent = deliver(app, [digest_mail(entries, total, link, to, texts) for to in recipients])
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
    app = current_flask_app()
    settings = get_state().settings
    if not mail_enabled(app):
        raise click.ClickException(mail_off_reason(app) or "Mail is off.")
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
