"""The forum's own rate limits on posting and reporting, on the ``limits`` package.

Each request is counted per client and per scope ("post", "report") against
every limit of ``FORUM_RATELIMIT``. A client is ``request.remote_addr`` as
:func:`~forum_plugin.privacy.address_group` sees it: an IPv4 address, or a
whole IPv6 /64. Behind a proxy, the host declares it with werkzeug's
``ProxyFix`` so the address is the reader's; ``X-Forwarded-For`` is never
trusted otherwise. Counts live in ``FORUM_RATELIMIT_STORAGE_URI``: memory by
default (right for one process), Redis for several workers. Moderators are
not limited.

The host's ``RATELIMIT_*`` settings and its own Flask-Limiter are never read
nor touched: the forum's limits apply to the forum's views and to nothing else.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import current_app, request
from limits import RateLimitItem, parse_many
from limits.errors import ConfigurationError
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from .i18n import gettext
from .identity import current_reader, is_moderator
from .privacy import address_group
from .state import get_state

# Keeps the forum's counts apart from anything else kept in a shared storage.
NAMESPACE = "forum_plugin"


class RateLimits:
    """``FORUM_RATELIMIT`` counted in one storage, for one app.

    :raises ValueError: when the limits or the storage URI cannot be used,
        naming the setting.
    """

    def __init__(self, limits: str, storage_uri: str) -> None:
        self.description = limits
        self.items: tuple[RateLimitItem, ...] = _parsed(limits)
        self.strategy = FixedWindowRateLimiter(_storage(storage_uri))

    def wait_needed(self, scope: str, client: str) -> int | None:
        """Count one request of ``client`` in ``scope``: the seconds it must
        wait when that was one too many for a limit, else None."""
        for item in self.items:
            if not self.strategy.hit(item, NAMESPACE, scope, client):
                reset_at, _ = self.strategy.get_window_stats(item, NAMESPACE, scope, client)
                return max(1, math.ceil(reset_at - time.time()))
        return None


def _parsed(limits: str) -> tuple[RateLimitItem, ...]:
    if not limits:
        return ()
    try:
        return tuple(parse_many(limits))
    except ValueError:
        raise ValueError(f"FORUM_RATELIMIT must read like '5/minute;30/hour', not {limits!r}") from None


def _storage(uri: str) -> Storage:
    try:
        storage = storage_from_string(uri)
    except ConfigurationError as error:
        raise ValueError(f"FORUM_RATELIMIT_STORAGE_URI {uri!r} cannot be used: {error}") from None
    if not isinstance(storage, Storage):  # an "async+" scheme: the forum counts synchronously
        raise ValueError(f"FORUM_RATELIMIT_STORAGE_URI {uri!r} cannot be used: it names an asyncio storage")
    return storage


def client_address() -> str:
    """Who is counted: the reader's address, an IPv6 one by its /64."""
    return address_group(request.remote_addr) or "unknown"


def _message(limits: RateLimits) -> str:
    return gettext(
        "You are sending comments or reports faster than this site allows (%(limit)s). "
        "Please wait a little and try again.",
        limit=limits.description.replace(";", ", "),
    )


def _wait_needed(limits: RateLimits, scope: str) -> int | None:
    try:
        return limits.wait_needed(scope, client_address())
    except Exception:  # the storage's own client errors (Redis down): a reader is not refused for them
        current_app.logger.exception("The forum's rate-limit storage failed; this request was not counted.")
        return None


_Params = ParamSpec("_Params")
_Returned = TypeVar("_Returned")


def limited(view: Callable[_Params, _Returned], scope: str) -> Callable[_Params, _Returned]:
    """``view``, its POSTs under ``FORUM_RATELIMIT``, counted apart for each ``scope``:
    one too many is a 429 with the forum's message and a Retry-After header."""

    @wraps(view)
    def counted(*args: _Params.args, **kwargs: _Params.kwargs) -> _Returned:
        if request.method == "POST" and not is_moderator(current_reader()):
            limits = get_state().limiter
            wait = _wait_needed(limits, scope)
            if wait is not None:
                raise TooManyRequests(_message(limits), retry_after=wait)
        return view(*args, **kwargs)

    return counted
