"""Rate limits on posting and reporting (Flask-Limiter).

Counted per client address, ``request.remote_addr``: behind a proxy, the
host declares it with werkzeug's ``ProxyFix`` so the address is the
reader's, and ``X-Forwarded-For`` is never trusted otherwise. Counts live
in memory unless the host sets ``RATELIMIT_STORAGE_URI`` (Redis, for sites
with several worker processes). Moderators are not limited.
"""

from __future__ import annotations

from flask import Flask, request
from flask_limiter import Limiter

from .i18n import gettext
from .identity import current_reader, is_moderator
from .state import get_state


def client_address() -> str:
    return request.remote_addr or "unknown"


def _limit() -> str:
    return get_state().settings.ratelimit


def _moderator_asking() -> bool:
    return is_moderator(current_reader())


def _message() -> str:
    return gettext(
        "You are sending comments or reports faster than this site allows (%(limit)s). "
        "Please wait a little and try again.",
        limit=_limit().replace(";", ", "),
    )


def make_limiter(app: Flask) -> Limiter:
    """A limiter for one app, counting in ``RATELIMIT_STORAGE_URI`` (memory by
    default: right for one process, not for several workers)."""
    storage = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    return Limiter(client_address, app=app, default_limits=[], storage_uri=storage)


def limited(limiter: Limiter, view, scope: str):
    """``view`` under FORUM_RATELIMIT, counted apart for each ``scope``."""
    return limiter.limit(_limit, scope=scope, exempt_when=_moderator_asking, error_message=_message)(view)
