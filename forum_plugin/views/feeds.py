"""Atom feeds of approved comments: one per thread, one for the whole site.

Links start from the site's configured address (FORUM_SITE_URL, else
SERVER_NAME) when there is one, so a feed reader or a cache in between
never keeps links to whatever Host a request named; else from the request.
"""

from __future__ import annotations

from flask import Flask, Response, abort, current_app, request

from .. import activity, feeds, threads
from ..models import utcnow
from ..notify.links import forum_link, site_base, thread_link
from ..state import db_session


def _base(app: Flask) -> str:
    return site_base(app) or request.url_root.rstrip("/")


def _atom(feed: feeds.Feed, host: str) -> Response:
    return Response(feeds.render(feed, host), content_type=feeds.CONTENT_TYPE)


def _entries(app: Flask, base: str, rows: list[activity.ListedComment]) -> list[feeds.Entry]:
    return feeds.entries_from(rows, base, lambda row: forum_link(app, base, "forum.thread", key=row.thread_key))


def thread_feed(key: str) -> Response:
    """The newest approved comments of one thread."""
    session = db_session()
    thread = threads.get_thread(session, key)
    if thread is None:
        abort(404, "There are no comments on a page by that name.")
    app = current_app  # the links read its configuration and URL map
    base = _base(app)
    host = feeds.tag_host(base)
    rows = activity.latest_approved(session, limit=feeds.MAX_ENTRIES, thread=thread)
    feed = feeds.Feed(
        id=feeds.tag_uri(host, f"forum-thread-{thread.id}"),
        title=f"Comments on {thread.title}",
        self_url=forum_link(app, base, "forum.thread_feed", key=thread.key),
        alternate_url=thread_link(app, base, thread),
        updated_if_empty=thread.created_at,
        entries=_entries(app, base, rows),
    )
    return _atom(feed, host)


def site_feed() -> Response:
    """The newest approved comments across every thread."""
    session = db_session()
    app = current_app
    base = _base(app)
    host = feeds.tag_host(base)
    rows = activity.latest_approved(session, limit=feeds.MAX_ENTRIES)
    feed = feeds.Feed(
        id=feeds.tag_uri(host, "forum-comments"),
        title=f"Comments on {host}",
        self_url=forum_link(app, base, "forum.site_feed"),
        alternate_url=forum_link(app, base, "forum.index"),
        updated_if_empty=utcnow(),
        entries=_entries(app, base, rows),
    )
    return _atom(feed, host)
