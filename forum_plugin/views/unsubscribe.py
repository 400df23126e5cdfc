"""The page a notification's unsubscribe link opens.

GET only shows a button; the POST behind it does the work. Mail scanners
and link previewers open every link in a mail, and they must not be able to
switch off someone's notifications by doing so.
"""

from __future__ import annotations

from flask import current_app, render_template
from sqlalchemy import func, update

from ..forms import ActionForm
from ..i18n import lazy_gettext
from ..models import Comment
from ..notify import mask_email, read_unsubscribe_token
from ..state import get_state
from .errors import CSRF_MESSAGE, render_error

BAD_LINK_TITLE = lazy_gettext("Link not valid")
BAD_LINK_MESSAGE = lazy_gettext(
    "This unsubscribe link was not made by this site or has been changed. "
    "Use the link at the bottom of one of our emails exactly as it is."
)


def stop_notifications(email: str) -> int:
    """Turn notification off on every comment written under ``email`` (any
    case); return how many comments had it on."""
    session = get_state().db.session
    result = session.execute(
        update(Comment)
        .where(func.lower(Comment.author_email) == email.strip().lower(), Comment.notify.is_(True))
        .values(notify=False)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount or 0


def unsubscribe(token: str):
    """GET: ask to confirm. POST (with a CSRF token): stop the emails."""
    email = read_unsubscribe_token(current_app.secret_key or "", token)
    if email is None:
        return render_error(400, BAD_LINK_TITLE, BAD_LINK_MESSAGE)
    form = ActionForm()
    done = False
    if form.is_submitted():
        if not form.validate():
            return render_error(400, "Form expired", CSRF_MESSAGE)
        stop_notifications(email)
        done = True
    return render_template("forum/unsubscribe.html", form=form, token=token, masked=mask_email(email), done=done)


def register(bp) -> None:
    """The mail links' pages on the forum's blueprint."""
    bp.add_url_rule("/unsubscribe/<token>", "unsubscribe", unsubscribe, methods=["GET", "POST"])
