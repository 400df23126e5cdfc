"""Deciding who is mailed: the signal receivers. They run inside the app,
read settings, load threads and parents, build links, and apply the rule
that matters most: a reader is never mailed about a comment that is not
approved, so the forum cannot be used to relay spam. Moderators, whose job
is to read pending comments, are the only exception."""

from __future__ import annotations

from typing import Any, Callable
from urllib.parse import urljoin, urlsplit

from flask import Flask, has_request_context, request, url_for
from sqlalchemy import func, select

from .. import signals
from ..models import Comment, ModerationEvent, Status, Thread
from ..state import EXTENSION_NAME
from ..threads import permalink
from .compose import Mail, pending_mail, published_mail, reply_mail, unsubscribe_token
from .delivery import deliver, mail_enabled


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
