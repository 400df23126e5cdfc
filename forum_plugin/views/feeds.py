"""Atom feeds of approved comments: one per thread, one for the whole site."""

from __future__ import annotations

from urllib.parse import urljoin

from flask import Response, abort, request, url_for

from .. import activity, feeds, threads
from ..models import utcnow
from ..state import get_state


def _atom(feed: feeds.Feed, host: str) -> Response:
    return Response(feeds.render(feed, host), content_type=feeds.CONTENT_TYPE)


def thread_feed(key: str) -> Response:
    """The newest approved comments of one thread."""
    session = get_state().db.session
    thread = threads.get_thread(session, key)
    if thread is None:
        abort(404, "There are no comments on a page by that name.")
    host_url = request.host_url
    host = feeds.tag_host(host_url)
    rows = activity.latest_approved(session, limit=feeds.MAX_ENTRIES, thread=thread)
    feed = feeds.Feed(
        id=feeds.tag_uri(host, f"forum-thread-{thread.id}"),
        title=f"Comments on {thread.title}",
        self_url=urljoin(host_url, url_for("forum.thread_feed", key=thread.key)),
        alternate_url=urljoin(host_url, thread.url),
        updated_if_empty=thread.created_at,
        entries=feeds.entries_from(rows, host_url),
    )
    return _atom(feed, host)


def site_feed() -> Response:
    """The newest approved comments across every thread."""
    session = get_state().db.session
    host_url = request.host_url
    host = feeds.tag_host(host_url)
    rows = activity.latest_approved(session, limit=feeds.MAX_ENTRIES)
    feed = feeds.Feed(
        id=feeds.tag_uri(host, "forum-comments"),
        title=f"Comments on {host}",
        self_url=urljoin(host_url, url_for("forum.site_feed")),
        alternate_url=urljoin(host_url, url_for("forum.index")),
        updated_if_empty=utcnow(),
        entries=feeds.entries_from(rows, host_url),
    )
    return _atom(feed, host)
