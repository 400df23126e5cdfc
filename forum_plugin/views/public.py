"""Readers' views: a thread on its own page, posting a comment."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import abort, jsonify, redirect, render_template, request, url_for

from .. import bots, comments, reasons, threads
from ..forms import ActionForm, EditForm, ReportForm, too_long_message
from ..i18n import gettext
from ..identity import (
    account_id,
    client_ip_hash,
    current_reader,
    display_name,
    is_moderator,
    remember_authorship,
    remember_pending,
    wrote,
)
from ..models import Comment, Status, Thread, utcnow
from ..policy import Draft
from ..state import get_state
from .errors import CSRF_MESSAGE, render_error, wants_json
from .section import comment_form, render_section


def _thread_or_404(key: str) -> Thread:
    thread = threads.get_thread(get_state().db.session, key)
    if thread is None:
        abort(404, gettext("There are no comments on a page by that name."))
    return thread


def _refuse(thread: Thread, form, status: int = 400):
    """The form back with its errors and the reader's text, or, for the
    forum's script, the errors as JSON."""
    if wants_json():
        return jsonify(errors={name or "form": list(errors) for name, errors in form.errors.items()}), status
    return _render_thread_page(thread, form, status)


def _posted_json(comment: Comment):
    """What the forum's script needs to show a new comment in place."""
    return jsonify(
        id=comment.id,
        parent_id=comment.parent_id,
        depth=comment.depth,
        status=comment.status,
        author=comment.author_name,
        created_at=comment.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        html=comment.body_html,
        notice=gettext("Your comment is awaiting moderation. Only you can see it until a moderator approves it.")
        if comment.status in (Status.PENDING, Status.SPAM)
        else gettext("Your comment is published."),
        when=gettext("just now"),
    ), 201


def _render_thread_page(thread: Thread, form, status: int = 200):
    section = render_section(thread, thread.key, form)
    return render_template("forum/thread.html", thread=thread, section=section), status


def thread_page(key: str):
    return _render_thread_page(_thread_or_404(key), comment_form(from_request=False))


def return_url(thread: Thread) -> str:
    """Where to send the reader after posting: the thread's page on the host,
    if it is on this site, else the extension's own page for the thread."""
    parts = urlsplit(thread.url)
    same_site = not parts.scheme and not parts.netloc or (
        parts.scheme in ("http", "https") and parts.netloc == request.host
    )
    if same_site and parts.path.startswith("/") and not parts.path.startswith(("//", "/\\")):
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return url_for("forum.thread", key=thread.key)


def comment_location(thread: Thread, comment_id: int) -> str:
    """The thread's page + ``#comment-<id>``; when the comment is not on the
    thread's first page, with the permalink parameter that opens its page."""
    url = return_url(thread)
    settings = get_state().settings
    page = threads.page_holding(get_state().db.session, thread, comment_id, per_page=settings.per_page, newest_first=False)
    if page is not None and page.after is not None:
        url += ("&" if "?" in url else "?") + f"forum_comment={comment_id}"
    return f"{url}#comment-{comment_id}"


def _thread_to_post_in(key: str) -> Thread:
    """The thread a comment is posted to. A form posted before any page
    rendered the section starts the thread, on the forum's own page."""
    session = get_state().db.session
    thread = threads.get_thread(session, key)
    if thread is not None:
        return thread
    try:
        return threads.ensure_thread(session, key, None, url_for("forum.thread", key=key))
    except ValueError as error:
        abort(400, gettext("Comments cannot be posted to that page: %(error)s.", error=error))


def accept(thread: Thread, form, reader) -> comments.Posted:
    """Store what a validated comment form says, as ``reader``, through the policy."""
    state = get_state()
    authenticated = reader.is_authenticated
    draft = Draft(
        body=form.body.data,
        author_name=display_name(reader) if authenticated else form.author_name.data,
        author_email=getattr(reader, "email", None) if authenticated else form.author_email.data or None,
        author_id=account_id(reader),
        ip_hash=client_ip_hash(),
        author_is_moderator=is_moderator(reader),
        notify=form.notify.data,
    )
    return comments.post(
        state.db.session,
        thread,
        draft,
        parent_id=form.parent_id.data,
        settings=state.settings,
        rules=state.forum.rules,
    )


def post_comment(key: str):
    state = get_state()
    thread = _thread_to_post_in(key)
    reader = current_reader()
    if not reader.is_authenticated and not state.settings.allow_anonymous:
        abort(403, gettext("Please sign in to comment."))
    form = comment_form(from_request=True)
    if not form.validate():
        if form.csrf_failed:
            return render_error(400, "Form expired", CSRF_MESSAGE)
        return _refuse(thread, form)
    if form.website.data:
        abort(400, bots.HONEYPOT_MESSAGE)
    settings = state.settings
    if not is_moderator(reader):
        problem = bots.timing_problem(
            bots.form_age(request.form.get("csrf_token")), settings.form_min_seconds, settings.form_max_seconds
        )
        if problem:
            form.form_errors.append(problem)
            return _refuse(thread, form)
    try:
        posted = accept(thread, form, reader)
    except comments.ParentError as error:
        form.parent_id.errors = [str(error)]
        return _refuse(thread, form)
    if posted.decision.reader_message:
        form.body.errors = [gettext(posted.decision.reader_message)]
        return _refuse(thread, form)
    if posted.comment.status in (Status.PENDING, Status.SPAM):
        # A banned author kept silently as spam sees what anyone else would.
        remember_pending(posted.comment.id)
    if posted.comment.author_id is None:
        remember_authorship(posted.comment)
    if wants_json():
        return _posted_json(posted.comment)
    return redirect(comment_location(thread, posted.comment.id), code=303)


def report_comment(comment_id: int):
    state = get_state()
    session = state.db.session
    comment = session.get(Comment, comment_id)
    if comment is None:
        abort(404, gettext("There is no comment #%(id)s.", id=comment_id))
    form = ReportForm()
    if not form.validate():
        if form.csrf_failed:
            return render_error(400, "Form expired", CSRF_MESSAGE)
        abort(400, gettext("Please choose why you are reporting this comment."))
    reader = current_reader()
    reporter = f"account:{account_id(reader)}" if reader.is_authenticated else f"ip:{client_ip_hash()}"
    try:
        comments.report(
            session, comment, reporter=reporter, reason=form.reason_text(), threshold=state.settings.flag_threshold
        )
    except comments.ReportError as error:
        abort(400, str(error))
    thread = session.get(Thread, comment.thread_id)
    return render_template("forum/reported.html", thread_url=return_url(thread)), 200


def _own_comment(comment_id: int) -> Comment:
    """The reader's own comment, still inside the edit window (403 otherwise)."""
    state = get_state()
    comment = state.db.session.get(Comment, comment_id)
    if comment is None or comment.status == Status.DELETED:
        abort(404, gettext("There is no comment #%(id)s.", id=comment_id))
    if not wrote(current_reader(), comment):
        abort(403, gettext("You can only change your own comments."))
    if not within_edit_window(comment, state.settings.edit_window):
        abort(403, gettext("The time to change this comment has passed."))
    return comment


def within_edit_window(comment, seconds: int) -> bool:
    return utcnow() - comment.created_at <= timedelta(seconds=seconds)


def edit_own_comment(comment_id: int):
    comment = _own_comment(comment_id)
    state = get_state()
    if request.method == "GET":
        form = EditForm(formdata=None, body=comment.body_markdown)
        return render_template("forum/edit.html", comment=comment, form=form)
    form = EditForm()
    if not form.validate():
        if form.csrf_failed:
            return render_error(400, "Form expired", CSRF_MESSAGE)
        abort(400, " ".join(message for messages in form.errors.values() for message in messages))
    if len(form.body.data) > state.settings.max_length:
        abort(400, too_long_message(len(form.body.data), state.settings.max_length))
    reader = current_reader()
    draft = Draft(
        body=form.body.data,
        author_name=comment.author_name,
        author_email=comment.author_email,
        author_id=comment.author_id,
        ip_hash=client_ip_hash(),
        author_is_moderator=is_moderator(reader),
    )
    decision = comments.author_edit(state.db.session, comment, draft, settings=state.settings, rules=state.forum.rules)
    if decision.reader_message:
        abort(400, gettext(decision.reader_message))
    if comment.status == Status.PENDING:
        remember_pending(comment.id)
    thread = state.db.session.get(Thread, comment.thread_id)
    return redirect(comment_location(thread, comment.id), code=303)


def delete_own_comment(comment_id: int):
    comment = _own_comment(comment_id)
    if not ActionForm().validate():
        return render_error(400, "Form expired", CSRF_MESSAGE)
    session = get_state().db.session
    comments.moderate(session, [comment], "delete", by=comments.Actor(comment.author_id, comment.author_name),
                      reason=reasons.DELETED_BY_AUTHOR)
    thread = session.get(Thread, comment.thread_id)
    return redirect(f"{return_url(thread)}#comments", code=303)
