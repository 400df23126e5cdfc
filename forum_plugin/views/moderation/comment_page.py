"""One comment as moderators see it: its texts, reports and audit events,
and the form to give it new text."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from ... import comments
from ... import queue as moderation_queue
from ...forms import EditForm
from ...i18n import gettext
from ...models import Comment, Thread
from ...state import db_session, get_state
from ..errors import CSRF_MESSAGE
from .guard import acting_moderator, comment_or_404, moderators_only


def _render_detail(comment: Comment, form: EditForm, status: int = 200) -> ResponseReturnValue:
    session = db_session()
    events, _ = moderation_queue.audit_log(session, moderation_queue.LogFilter(comment_id=comment.id))
    return render_template(
        "forum/moderation/comment.html",
        comment=comment,
        thread=session.get(Thread, comment.thread_id),
        revisions=moderation_queue.revisions(session, comment.id),
        reports=moderation_queue.reports(session, comment.id),
        events=events,
        form=form,
    ), status


@moderators_only
def comment_detail(comment_id: int) -> ResponseReturnValue:
    comment = comment_or_404(comment_id)
    return _render_detail(comment, EditForm(formdata=None, body=comment.body_markdown))


@moderators_only
def edit(comment_id: int) -> ResponseReturnValue:
    comment = comment_or_404(comment_id)
    form = EditForm()
    settings = get_state().settings
    if not form.validate():
        if form.csrf_failed:
            abort(400, CSRF_MESSAGE)
        return _render_detail(comment, form, 400)
    body = form.body.data or ""
    if len(body) > settings.max_length:
        form.body.errors = [
            gettext(
                "The text has %(length)s characters; the limit is %(limit)s.",
                length=f"{len(body):,}",
                limit=f"{settings.max_length:,}",
            )
        ]
        return _render_detail(comment, form, 400)
    comments.edit(db_session(), comment, body, by=acting_moderator(), sanitizer=settings.sanitizer)
    flash(gettext("Saved the new text of comment #%(id)s; the old one is kept as a revision.", id=comment_id), "forum")
    return redirect(url_for("forum.comment_detail", comment_id=comment_id), code=303)
