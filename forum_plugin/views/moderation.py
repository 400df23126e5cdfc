"""Moderators' views: the queue of pending comments and the actions on them."""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app, flash, redirect, render_template, url_for

from .. import comments, threads
from ..forms import ActionForm
from ..identity import account_id, current_reader, display_name, is_moderator
from ..models import Comment
from ..state import get_state
from .errors import CSRF_MESSAGE, render_error

ACTIONS = {
    "approve": (comments.approve, "Approved"),
    "reject": (comments.reject, "Rejected"),
}


def moderators_only(view):
    """Send anonymous visitors to the host's login view; refuse other readers."""

    @wraps(view)
    def guarded(*args, **kwargs):
        reader = current_reader()
        if not reader.is_authenticated:
            login_manager = getattr(current_app, "login_manager", None)
            if login_manager is None:
                abort(401, "Moderators must sign in first.")
            return login_manager.unauthorized()
        if not is_moderator(reader):
            abort(403, "Only moderators may see this page.")
        return view(*args, **kwargs)

    return guarded


@moderators_only
def queue():
    pending = threads.pending_queue(get_state().db.session)
    return render_template("forum/moderation/queue.html", comments=pending, action_form=ActionForm())


@moderators_only
def act(comment_id: int, action: str):
    if action not in ACTIONS:
        abort(404, f"There is no moderation action called {action!r}.")
    if not ActionForm().validate():
        return render_error(400, "Form expired", CSRF_MESSAGE)
    session = get_state().db.session
    comment = session.get(Comment, comment_id)
    if comment is None:
        abort(404, f"There is no comment #{comment_id}.")
    perform, done = ACTIONS[action]
    moderator = current_reader()
    perform(session, comment, by=comments.Actor(account_id(moderator), display_name(moderator)))
    flash(f"{done} comment #{comment_id} by {comment.author_name}.", "forum")
    return redirect(url_for("forum.moderation"), code=303)
