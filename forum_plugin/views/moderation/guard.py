"""What every moderators' view shares: who may see it, who is acting, the
CSRF and field checks of its forms, and where it sends the moderator back.

Every view answers 403 to a reader who is not a moderator and sends
anonymous visitors to the host's login view; every change is a POST with a
CSRF token.
"""

from __future__ import annotations

from functools import wraps
from typing import Callable, ParamSpec
from urllib.parse import unquote, urlsplit

from flask import abort, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from ...audit import Actor
from ...forms import ForumForm
from ...i18n import gettext
from ...identity import account_id, current_reader, display_name, is_moderator
from ...models import Comment
from ...state import db_session
from ..errors import CSRF_MESSAGE

P = ParamSpec("P")


def moderators_only(view: Callable[P, ResponseReturnValue]) -> Callable[P, ResponseReturnValue]:
    """Send anonymous visitors to the host's login view; refuse other readers."""

    @wraps(view)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> ResponseReturnValue:
        reader = current_reader()
        if not reader.is_authenticated:
            login_manager = getattr(current_app, "login_manager", None)
            if login_manager is None:
                abort(401, gettext("Moderators must sign in first."))
            sent_to_login: Response = login_manager.unauthorized()
            return sent_to_login
        if not is_moderator(reader):
            abort(403, gettext("Only moderators may see this page."))
        return view(*args, **kwargs)

    return guarded


def acting_moderator() -> Actor:
    """The moderator making this request, as the audit log names them."""
    reader = current_reader()
    return Actor(account_id(reader), display_name(reader))


def dashboard_path(target: str) -> str | None:
    """``target`` if it is a path on the dashboard, else None: never another
    site, never a header broken by a line break, never a path that climbs out."""
    home = url_for("forum.moderation")
    if any(ord(character) < 0x20 or character in "\\\x7f" for character in target + unquote(target)):
        return None
    parts = urlsplit(target)
    path = unquote(parts.path)
    if parts.scheme or parts.netloc or "//" in target or not path.startswith(home) or ".." in path.split("/"):
        return None
    return target


def back(default: str = "forum.moderation") -> Response:
    """303 to the dashboard page the moderator came from, if the form says which."""
    return redirect(dashboard_path(request.form.get("next", "")) or url_for(default), code=303)


def valid_or_shown(form: ForumForm) -> bool:
    """Whether a form the page shows again is valid: a CSRF failure is a 400
    (nothing changed); other mistakes are shown at their fields, with what
    the moderator typed, when the caller renders the page again (400)."""
    if form.validate():
        return True
    if form.csrf_failed:
        abort(400, CSRF_MESSAGE)
    return False


def checked(form: ForumForm) -> None:
    """Refuse a form whose CSRF token is missing or stale, or with a mistake
    in a field (400, nothing changed)."""
    if not valid_or_shown(form):
        abort(400, " ".join(message for messages in form.errors.values() for message in messages))


def comment_or_404(comment_id: int) -> Comment:
    comment = db_session().get(Comment, comment_id)
    if comment is None:
        abort(404, gettext("There is no comment #%(id)s.", id=comment_id))
    return comment
