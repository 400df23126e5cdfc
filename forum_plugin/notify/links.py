"""The absolute links in mail, all on the site's configured address.

Mail is read far from the request that caused it, and that request's
``Host`` header is whatever its sender wrote: so links start from
``FORUM_SITE_URL`` (else ``SERVER_NAME``), never from the request, and the
forum's own paths are built from the URL map without a request.
"""

from __future__ import annotations

from flask import Flask

from .. import site_url
from ..config import Settings
from ..models import Thread
from ..state import EXTENSION_NAME
from ..threads import permalink


def site_base(app: Flask) -> str | None:
    """The site's address (no trailing slash): ``FORUM_SITE_URL``, else
    ``SERVER_NAME`` with ``PREFERRED_URL_SCHEME`` and ``APPLICATION_ROOT``;
    None when neither is set."""
    settings: Settings = app.extensions[EXTENSION_NAME].settings
    configured = settings.site_url
    if configured:
        return configured
    config = app.config
    return site_url.from_server_name(
        config.get("SERVER_NAME"), config.get("PREFERRED_URL_SCHEME"), config.get("APPLICATION_ROOT")
    )


def forum_path(app: Flask, endpoint: str, **values: object) -> str:
    """The path of one of the forum's pages below the app's root, built
    without looking at any request."""
    # The server name only satisfies the adapter: a path is asked for.
    return app.url_map.bind("forum.invalid", script_name="/").build(endpoint, values)


def forum_link(app: Flask, base: str, endpoint: str, **values: object) -> str:
    return site_url.join(base, forum_path(app, endpoint, **values))


def thread_link(app: Flask, base: str, thread: Thread) -> str:
    """The host page of ``thread`` when it is on the site, else the forum's
    own page for the thread there."""
    return site_url.page_url(base, thread.url) or forum_link(app, base, "forum.thread", key=thread.key)


def comment_link(app: Flask, base: str, thread: Thread, comment_id: int) -> str:
    return permalink(thread_link(app, base, thread), comment_id)


def dashboard_link(app: Flask, base: str) -> str:
    return forum_link(app, base, "forum.moderation")


def unsubscribe_link(app: Flask, base: str, token: str) -> str:
    return forum_link(app, base, "forum.unsubscribe", token=token)


def confirmation_link(app: Flask, base: str, token: str) -> str:
    return forum_link(app, base, "forum.confirm_mail", token=token)
