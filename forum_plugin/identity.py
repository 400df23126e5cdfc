"""Who is asking: the reader's account, moderator status, name, address
hash, and the pending comments their session remembers."""

from __future__ import annotations

import hmac
from typing import Any

from flask import current_app, request, session
from flask_login import AnonymousUserMixin, current_user

from .privacy import hash_ip, keyed_digest
from .state import get_state

SESSION_KEY = "forum_pending"
# Enough for any reader's recent comments, small enough for a cookie.
REMEMBERED_PENDING = 30


def current_reader() -> Any:
    """The logged-in user, or an anonymous one when the host has no Flask-Login."""
    if getattr(current_app, "login_manager", None) is None:
        return AnonymousUserMixin()
    return current_user._get_current_object()


def is_moderator(user: Any) -> bool:
    return bool(get_state().forum.moderator_check_fn(user))


def display_name(user: Any) -> str:
    return str(get_state().forum.user_name_fn(user))[:100]


def account_id(user: Any) -> str | None:
    return str(user.get_id()) if user.is_authenticated else None


def client_ip_hash() -> str | None:
    return hash_ip(current_app.secret_key or "", request.remote_addr)


def remember_pending(comment_id: int) -> None:
    """Let this reader's session show them their own pending comment."""
    remembered = [i for i in session.get(SESSION_KEY, []) if i != comment_id]
    session[SESSION_KEY] = [*remembered, comment_id][-REMEMBERED_PENDING:]


def own_pending_ids() -> list[int]:
    return [i for i in session.get(SESSION_KEY, []) if isinstance(i, int)]


AUTHORSHIP_KEY = "forum_authored"


def authorship_token(comment_id: int) -> str:
    """An unguessable token bound to one comment: whoever holds it wrote it."""
    return keyed_digest(current_app.secret_key or "", "forum-author", str(comment_id))[:32]


def remember_authorship(comment) -> None:
    """Keep the token of a comment this (anonymous) reader wrote in their session."""
    held = {k: v for k, v in session.get(AUTHORSHIP_KEY, {}).items()}
    held[str(comment.id)] = authorship_token(comment.id)
    session[AUTHORSHIP_KEY] = dict(list(held.items())[-REMEMBERED_PENDING:])


def wrote(reader: Any, comment) -> bool:
    """Whether ``reader`` is the author of ``comment``: by account, or by the
    token their session holds."""
    if comment.author_id is not None:
        return account_id(reader) == comment.author_id
    token = session.get(AUTHORSHIP_KEY, {}).get(str(comment.id))
    return bool(token) and hmac.compare_digest(token, authorship_token(comment.id))


def authored_ids() -> set[int]:
    """The comments this session's anonymous reader wrote (tokens unchecked: for showing controls only)."""
    return {int(k) for k in session.get(AUTHORSHIP_KEY, {}) if k.isdigit()}
