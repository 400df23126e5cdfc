"""Deciding who is mailed: the signal receivers. They run inside the app,
read settings, load threads and parents, build links on the site's address,
and apply the two rules that matter most:

- a reader is never mailed about a comment that is not approved, so the
  forum cannot be used to relay spam; moderators, whose job is to read
  pending comments, are the only exception;
- a reader's address gets nothing but a confirmation mail until its owner
  confirms it (double opt-in), since anyone can type anyone's address.
"""

from __future__ import annotations

from typing import Any, Callable

from flask import Flask
from sqlalchemy import func, select

from .. import signals, site_url
from ..models import Comment, ModerationEvent, Status, Thread, utcnow
from ..state import EXTENSION_NAME
from . import addresses
from .compose import Mail, confirmation_mail, pending_mail, published_mail, reply_mail
from .delivery import deliver, mail_enabled
from .links import comment_link, confirmation_link, dashboard_link, site_base, unsubscribe_link
from .texts import texts_for

# Comments whose author may be asked to confirm their address: not those
# the policy refused (or any removed), which will never be published.
MAY_NOTIFY = tuple(status.value for status in Status if not status.removed)


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


def mails_for_pending(app: Flask, base: str, comment: Comment) -> list[Mail]:
    """One mail per moderator address about a new pending ``comment``, or none
    in digest mode (the digest command tells them instead)."""
    state = app.extensions[EXTENSION_NAME]
    settings = state.settings
    if comment.status != Status.PENDING or settings.mail_digest_minutes or not settings.moderator_emails:
        return []
    thread = state.db.session.get(Thread, comment.thread_id)
    link = f"{dashboard_link(app, base)}#queue-{comment.id}"
    texts = texts_for(app)
    return [pending_mail(comment, thread, link, to, texts) for to in settings.moderator_emails]


def mails_for_approved(app: Flask, base: str, comment: Comment) -> list[Mail]:
    """The author's "published" mail and the parent author's "new reply" mail,
    for those who asked and confirmed their address. Nothing unless
    ``comment`` is approved."""
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
    parent_email = parent.author_email if parent is not None and tell_parent else None
    tokens = addresses.confirmed_tokens(session, [comment.author_email if tell_author else None, parent_email])
    thread = session.get(Thread, comment.thread_id)
    link = comment_link(app, base, thread, comment.id)
    texts = texts_for(app)
    mails = []
    author_token = tokens.get(addresses.normalized(comment.author_email or ""))
    if tell_author and author_token:
        mails.append(published_mail(comment, thread, link, unsubscribe_link(app, base, author_token), texts))
    parent_token = tokens.get(addresses.normalized(parent_email or ""))
    if parent is not None and parent_email and parent_token:
        mails.append(reply_mail(comment, parent, thread, link, unsubscribe_link(app, base, parent_token), texts))
    return mails


def ask_to_confirm(app: Flask, base: str, comment: Comment) -> None:
    """Send the confirmation mail when ``comment`` asks for mail at an
    address nobody confirmed yet: once a day at most, never again once confirmed."""
    email, wants_mail, status = comment.author_email, comment.notify, comment.status
    if not (email and wants_mail and status in MAY_NOTIFY):
        return
    session = app.extensions[EXTENSION_NAME].db.session
    address = addresses.address_for(session, email)
    if address.confirmed_at is not None:
        return
    address_id, token, before, now = address.id, address.token, address.confirmation_sent_at, utcnow()
    if not addresses.claim_confirmation(session, address_id, now):
        return
    mail = confirmation_mail(email, site_url.host_of(base), confirmation_link(app, base, token), texts_for(app))
    if not deliver(app, [mail]):
        addresses.give_back_confirmation(session, address_id, now, before)


def _guarded(work: Callable[[Flask, str, Comment], Any], app: Flask, comment: Comment) -> None:
    """Run one mail job, never letting an error reach the request that
    committed the comment. A job returning mails has them sent."""
    if not mail_enabled(app):
        return
    base = site_base(app)
    assert base is not None, "mail_enabled() means the site's address is known"
    try:
        mails = work(app, base, comment)
    except Exception:
        app.logger.exception("forum: could not prepare mail about comment #%s", getattr(comment, "id", "?"))
        return
    if mails:
        deliver(app, mails)


def on_comment_posted(sender: Flask, comment: Comment, **extra: Any) -> None:
    """Receiver of :data:`~forum_plugin.signals.comment_posted`."""
    _guarded(mails_for_pending, sender, comment)
    _guarded(ask_to_confirm, sender, comment)


def on_comment_approved(sender: Flask, comment: Comment, **extra: Any) -> None:
    """Receiver of :data:`~forum_plugin.signals.comment_approved`."""
    _guarded(mails_for_approved, sender, comment)


RECEIVERS = (
    (signals.comment_posted, on_comment_posted),
    (signals.comment_approved, on_comment_approved),
)


def connect_receivers(app: Flask) -> None:
    """Mail about the comments of ``app``: connect the receivers to the
    forum's signals sent by that app. Calling it again changes nothing;
    the connection ends with the app."""
    for signal, receiver in RECEIVERS:
        signal.connect(receiver, sender=app)
