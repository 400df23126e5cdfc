"""Readers' views: a thread on its own page, posting, reporting, an author's edits."""

from __future__ import annotations

from datetime import timedelta
from typing import NoReturn
from urllib.parse import urlsplit

from flask import Response, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from .. import bots, comments, reasons, threads, tickets
from ..forms import ActionForm, CommentForm, EditForm, ReportForm, too_long_message
from ..i18n import gettext, lazy_gettext
from ..identity import (
    Reader,
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
from ..sql import existing
from ..state import db_session, get_state
from ..vocabulary import Action
from .errors import form_expired, wants_json
from .section import comment_form, new_ticket, render_section, ticketed_form

TICKET_REFUSED = lazy_gettext(
    "This form has expired or was not made by this site, so nothing was saved. "
    "Your text is still here; please post it again."
)
TICKET_REFUSED_NO_PAGE = lazy_gettext(
    "This form has expired or was not made by a page of this site, so nothing was saved. "
    "Your text is below: copy it, open the page again and post it from there."
)
FORM_USED = lazy_gettext(
    "This form was already used to post a comment, so nothing was saved. Your text is still here; please post it again."
)


def _no_such_comment(comment_id: int) -> NoReturn:
    abort(404, gettext("There is no comment #%(id)s.", id=comment_id))


def _thread_or_404(key: str) -> Thread:
    thread = threads.get_thread(db_session(), key)
    if thread is None:
        abort(404, gettext("There are no comments on a page by that name."))
    return thread


def _render_thread_page(
    place: threads.Place, thread: Thread | None, form: CommentForm, status: int = 200
) -> tuple[str, int]:
    section = render_section(thread, place.key, form)
    return render_template("forum/thread.html", place=place, section=section), status


def _refuse(
    place: threads.Place, thread: Thread | None, form: CommentForm, status: int = 400
) -> tuple[Response | str, int]:
    """The form back with its errors, the reader's text and a fresh ticket,
    or, for the forum's script, the errors as JSON with the fresh ticket."""
    ticket = new_ticket(place)
    if wants_json():
        errors = {name or "form": list(errors) for name, errors in form.errors.items()}
        return jsonify(errors=errors, ticket=ticket), status
    form.forum_ticket.data = ticket
    return _render_thread_page(place, thread, form, status)


def _refuse_ticket(thread: Thread | None, form: CommentForm) -> tuple[Response | str, int]:
    """A post whose ticket this site did not sign for this thread. Where the
    thread exists its page offers a fresh form; elsewhere no page may be made."""
    if thread is not None:
        form.form_errors.append(str(TICKET_REFUSED))
        return _refuse(threads.Place.of(thread), thread, form)
    message = str(TICKET_REFUSED_NO_PAGE)
    if wants_json():
        return jsonify(error=message), 400
    return render_template("forum/form_refused.html", message=message, text=form.body.data or ""), 400


def _refuse_used(place: threads.Place, thread: Thread | None, form: CommentForm) -> tuple[Response | str, int]:
    form.form_errors.append(str(FORM_USED))
    return _refuse(place, thread, form)


def _posted_json(comment: Comment, place: threads.Place) -> tuple[Response, int]:
    """What the forum's script needs to show a new comment in place, and the
    ticket for the reader's next comment."""
    waiting = Status(comment.status).author_sees_pending
    return jsonify(
        id=comment.id,
        parent_id=comment.parent_id,
        depth=comment.depth,
        # A banned author kept silently as spam sees what anyone else would.
        status=Status.PENDING.value if waiting else comment.status,
        author=comment.author_name,
        created_at=comment.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        html=comment.body_html,
        notice=gettext("Your comment is awaiting moderation. Only you can see it until a moderator approves it.")
        if waiting
        else gettext("Your comment is published."),
        when=gettext("just now"),
        ticket=new_ticket(place),
    ), 201


def thread_page(key: str) -> ResponseReturnValue:
    thread = _thread_or_404(key)
    place = threads.Place.of(thread)
    return _render_thread_page(place, thread, ticketed_form(place))


def return_url(thread: Thread) -> str:
    """Where to send the reader after posting: the thread's page on the host,
    if it is on this site, else the extension's own page for the thread."""
    parts = urlsplit(thread.url)
    same_site = (
        not parts.scheme and not parts.netloc or (parts.scheme in ("http", "https") and parts.netloc == request.host)
    )
    if same_site and parts.path.startswith("/") and not parts.path.startswith(("//", "/\\")):
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return url_for("forum.thread", key=thread.key)


def comment_location(thread: Thread, comment_id: int) -> str:
    """The thread's page + ``#comment-<id>``; when the comment is not on the
    thread's first page, with the permalink parameter that opens its page."""
    url = return_url(thread)
    settings = get_state().settings
    page = threads.page_holding(db_session(), thread, comment_id, per_page=settings.per_page, newest_first=False)
    if page is not None and page.after is not None:
        url += ("&" if "?" in url else "?") + f"forum_comment={comment_id}"
    return f"{url}#comment-{comment_id}"


def accept(
    place: threads.Place | Thread, form: CommentForm, reader: Reader, *, nonce: str | None = None
) -> comments.Posted:
    """Store what a validated comment form says, as ``reader``, through the policy."""
    state = get_state()
    authenticated = reader.is_authenticated
    # Both are there in a valid form: the body always, the name when it is asked for.
    draft = Draft(
        body=form.body.data or "",
        author_name=display_name(reader) if authenticated else form.author_name.data or "",
        author_email=getattr(reader, "email", None) if authenticated else form.author_email.data or None,
        author_id=account_id(reader),
        ip_hash=client_ip_hash(),
        author_is_moderator=is_moderator(reader),
        notify=form.notify.data,
    )
    return comments.post(
        db_session(),
        place,
        draft,
        parent_id=form.parent_id.data,
        settings=state.settings,
        rules=state.forum.rules,
        form_nonce=nonce,
        ip_private=comments.shared_address(request.remote_addr),
    )


def post_comment(key: str) -> ResponseReturnValue:
    """A new comment from a form the forum rendered: its ticket names the
    thread (made now, at its first comment) and times the form, once."""
    state = get_state()
    settings = state.settings
    reader = current_reader()
    if not reader.is_authenticated and not settings.allow_anonymous:
        abort(403, gettext("Please sign in to comment."))
    form = comment_form(from_request=True)
    valid = form.validate()
    if form.csrf_failed:
        return form_expired()
    session = db_session()
    thread = threads.get_thread(session, key)
    try:
        ticket = tickets.read(current_app.secret_key, form.forum_ticket.data, key)
    except tickets.TicketError:
        return _refuse_ticket(thread, form)
    place = ticket.place
    if not valid:
        return _refuse(place, thread, form)
    if form.website.data:
        abort(400, bots.HONEYPOT_MESSAGE)
    if not is_moderator(reader):
        problem = bots.timing_problem(ticket.age(), settings.form_min_seconds, settings.form_max_seconds)
        if problem:
            form.form_errors.append(problem)
            return _refuse(place, thread, form)
    if comments.form_used(session, ticket.nonce):
        return _refuse_used(place, thread, form)
    try:
        posted = accept(place, form, reader, nonce=ticket.nonce)
    except comments.ParentError as error:
        form.parent_id.errors = [str(error)]
        return _refuse(place, thread, form)
    except comments.FormUsed:
        return _refuse_used(place, threads.get_thread(session, key), form)
    if posted.decision.reader_message:
        form.body.errors = [gettext(posted.decision.reader_message)]
        return _refuse(place, posted.thread, form)
    if Status(posted.comment.status).author_sees_pending:
        # A banned author kept silently as spam sees what anyone else would.
        remember_pending(posted.comment.id)
    if posted.comment.author_id is None:
        remember_authorship(posted.comment)
    if wants_json():
        return _posted_json(posted.comment, place)
    return redirect(comment_location(posted.thread, posted.comment.id), code=303)


def report_comment(comment_id: int) -> ResponseReturnValue:
    state = get_state()
    session = db_session()
    comment = session.get(Comment, comment_id)
    if comment is None or comment.status != Status.APPROVED:
        # What readers cannot see reads as what does not exist.
        _no_such_comment(comment_id)
    form = ReportForm()
    if not form.validate():
        if form.csrf_failed:
            return form_expired()
        abort(400, gettext("Please choose why you are reporting this comment."))
    reader = current_reader()
    reporter = f"account:{account_id(reader)}" if reader.is_authenticated else f"ip:{client_ip_hash()}"
    try:
        comments.report(
            session, comment, reporter=reporter, reason=form.reason_text(), threshold=state.settings.flag_threshold
        )
    except comments.ReportError as error:
        abort(400, str(error))
    thread = existing(session, Thread, comment.thread_id)
    return render_template("forum/reported.html", thread_url=return_url(thread)), 200


def _own_comment(comment_id: int) -> Comment:
    """The reader's own comment, still theirs to change and inside the edit window.

    Someone else's published comment is a 403, as anyone can see it; any
    other comment the reader did not write, and one of theirs that a
    moderator (or readers' reports) took out of their hands, reads as a
    comment that does not exist.
    """
    state = get_state()
    comment = db_session().get(Comment, comment_id)
    if comment is None:
        _no_such_comment(comment_id)
    if not wrote(current_reader(), comment):
        if comment.status == Status.APPROVED:
            abort(403, gettext("You can only change your own comments."))
        _no_such_comment(comment_id)
    if not comments.may_author_change(db_session(), comment):
        _no_such_comment(comment_id)
    if not within_edit_window(comment, state.settings.edit_window):
        abort(403, gettext("The time to change this comment has passed."))
    return comment


def within_edit_window(comment: Comment, seconds: int) -> bool:
    return utcnow() - comment.created_at <= timedelta(seconds=seconds)


def edit_own_comment(comment_id: int) -> ResponseReturnValue:
    comment = _own_comment(comment_id)
    state = get_state()
    if request.method == "GET":
        form = EditForm(formdata=None, body=comment.body_markdown)
        return render_template("forum/edit.html", comment=comment, form=form)
    form = EditForm()
    if not form.validate():
        if form.csrf_failed:
            return form_expired()
        abort(400, " ".join(message for messages in form.errors.values() for message in messages))
    body = form.body.data or ""  # there: the form is valid
    if len(body) > state.settings.max_length:
        abort(400, too_long_message(len(body), state.settings.max_length))
    reader = current_reader()
    draft = Draft(
        body=body,
        author_name=comment.author_name,
        author_email=comment.author_email,
        author_id=comment.author_id,
        ip_hash=client_ip_hash(),
        author_is_moderator=is_moderator(reader),
    )
    decision = comments.author_edit(db_session(), comment, draft, settings=state.settings, rules=state.forum.rules)
    if decision.reader_message:
        abort(400, gettext(decision.reader_message))
    if comment.status == Status.PENDING:
        remember_pending(comment.id)
    thread = existing(db_session(), Thread, comment.thread_id)
    return redirect(comment_location(thread, comment.id), code=303)


def delete_own_comment(comment_id: int) -> ResponseReturnValue:
    comment = _own_comment(comment_id)
    if not ActionForm().validate():
        return form_expired()
    session = db_session()
    comments.moderate(
        session,
        [comment],
        Action.DELETE,
        by=comments.Actor(comment.author_id, comment.author_name),
        reason=reasons.DELETED_BY_AUTHOR,
    )
    thread = existing(session, Thread, comment.thread_id)
    return redirect(f"{return_url(thread)}#comments", code=303)
