"""Who is asking: the reader's account, moderator status, name, address
hash, and what their session remembers of their own comments.

The session remembers two things for the reader: the pending comments they
may see ("forum_pending") and the edit tokens of comments they wrote without
an account ("forum_authored"). Both are stored with the account that made
them (None for an anonymous visitor) and are dropped as soon as another
account, or nobody, is signed in on that browser — and on Flask-Login's
``user_logged_out``. So nothing carries over from an anonymous visit into an
account either.
"""

from __future__ import annotations

import hmac
from types import ModuleType
from typing import Any, Protocol

from flask import Flask, current_app, request, session

from .models import Comment
from .privacy import hash_ip, keyed_digest
from .state import get_state

flask_login: ModuleType | None
try:
    import flask_login
except ImportError:  # an anonymous-only site need not install it
    flask_login = None

SESSION_KEY = "forum_pending"
AUTHORSHIP_KEY = "forum_authored"
# Enough for any reader's recent comments, small enough for a cookie.
REMEMBERED_PENDING = 30


class Reader(Protocol):
    """What the forum reads of a reader: the host's user object (Flask-Login's
    user model, its anonymous user) or :class:`Anonymous`. The host's
    moderator check and name function may read more of it."""

    @property
    def is_authenticated(self) -> bool: ...
    def get_id(self) -> str | None: ...


class Anonymous:
    """The reader on a site without Flask-Login, or before anyone signs in."""

    is_authenticated = False
    is_active = False
    is_anonymous = True

    def get_id(self) -> None:
        return None


def current_reader() -> Reader:
    """The logged-in user, or an anonymous one when the host has no Flask-Login."""
    if flask_login is None or getattr(current_app, "login_manager", None) is None:
        return Anonymous()
    # The user itself, not the proxy, which would stand for whoever is signed
    # in when it is read: Werkzeug documents _get_current_object() as
    # LocalProxy's way to that, and Flask-Login has no other public one.
    user: Reader = flask_login.current_user._get_current_object()
    return user


def is_moderator(user: Reader) -> bool:
    return bool(get_state().forum.moderator_check_fn(user))


def display_name(user: Reader) -> str:
    return str(get_state().forum.user_name_fn(user))[:100]


def account_id(user: Reader) -> str | None:
    return str(user.get_id()) if user.is_authenticated else None


def client_ip_hash() -> str | None:
    return hash_ip(current_app.secret_key or "", request.remote_addr)


def _held(key: str) -> Any:
    """What the session keeps under ``key`` for the reader signed in now;
    whatever another account (or an anonymous visit) left there is dropped."""
    held = session.get(key)
    if held is None:
        return None
    if not isinstance(held, dict) or held.get("account", "") != account_id(current_reader()):
        session.pop(key, None)
        return None
    return held.get("items")


def _hold(key: str, items: Any) -> None:
    session[key] = {"account": account_id(current_reader()), "items": items}


def forget_reader(*_: Any, **__: Any) -> None:
    """Drop what the session remembers of the reader's comments (a receiver of ``user_logged_out``)."""
    session.pop(SESSION_KEY, None)
    session.pop(AUTHORSHIP_KEY, None)


def forget_on_logout(app: Flask) -> None:
    """Clear the reader's remembered comments whenever Flask-Login logs someone out of ``app``."""
    if flask_login is not None:
        flask_login.user_logged_out.connect(forget_reader, sender=app)


def remember_pending(comment_id: int) -> None:
    """Let this reader's session show them their own pending comment."""
    remembered = [i for i in own_pending_ids() if i != comment_id]
    _hold(SESSION_KEY, [*remembered, comment_id][-REMEMBERED_PENDING:])


def own_pending_ids() -> list[int]:
    held = _held(SESSION_KEY)
    return [i for i in held if isinstance(i, int)] if isinstance(held, list) else []


def authorship_token(comment_id: int) -> str:
    """An unguessable token bound to one comment: whoever holds it wrote it."""
    return keyed_digest(current_app.secret_key or "", "forum-author", str(comment_id))[:32]


def _authorship_tokens() -> dict[str, str]:
    held = _held(AUTHORSHIP_KEY)
    return {k: v for k, v in held.items() if isinstance(v, str)} if isinstance(held, dict) else {}


def remember_authorship(comment: Comment) -> None:
    """Keep the token of a comment this (anonymous) reader wrote in their session."""
    held = _authorship_tokens()
    held.pop(str(comment.id), None)
    held[str(comment.id)] = authorship_token(comment.id)
    _hold(AUTHORSHIP_KEY, dict(list(held.items())[-REMEMBERED_PENDING:]))


def wrote(reader: Reader, comment: Comment) -> bool:
    """Whether ``reader`` is the author of ``comment``: by account, or by the
    token their session holds."""
    if comment.author_id is not None:
        return account_id(reader) == comment.author_id
    token = _authorship_tokens().get(str(comment.id))
    if not token:
        return False
    return hmac.compare_digest(token, authorship_token(comment.id))


def authored_ids() -> set[int]:
    """The comments this session's anonymous reader wrote (tokens unchecked: for showing controls only)."""
    return {int(k) for k in _authorship_tokens() if k.isascii() and k.isdigit()}
