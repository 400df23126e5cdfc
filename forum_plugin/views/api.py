"""The read-only JSON API: a thread's approved comments as a tree, and counts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from urllib.parse import urljoin

from flask import Response, request

from .. import threads
from ..i18n import iso_time
from ..paging import Cursor, CursorError
from ..state import db_session, get_state
from ..tree import TreeItem

MAX_COUNT_KEYS = 500


def _json(payload: dict[str, object], status: int = 200) -> Response:
    return Response(json.dumps(payload, ensure_ascii=False), status=status, mimetype="application/json")


def _error(status: int, message: str) -> Response:
    return _json({"error": message}, status)


def comment_tree(items: Sequence[TreeItem[threads.PageComment]], thread_url: str) -> list[dict[str, object]]:
    """Nest a page's items (depth-first, each parent before its replies) as
    the page shows them: indented up to the site's maximum depth, deeper
    replies listed at the last level with ``in_reply_to``, their true
    ``parent_id`` and ``depth`` kept. So the JSON nests no deeper than the
    page, however deep the thread. Removed comments that still hold
    published replies become placeholders with no author and no text."""
    roots: list[dict[str, object]] = []
    open_replies: list[tuple[int, list[dict[str, object]]]] = []  # (level, node's replies) from the top down
    for item in items:
        comment = item.comment
        node: dict[str, object] = {"id": comment.id, "parent_id": comment.parent_id, "depth": comment.depth}
        if item.removed:
            node["removed"] = True
        else:
            node.update(
                author=comment.author_name,
                created_at=iso_time(comment.created_at),
                html=comment.body_html,
                permalink=threads.permalink(thread_url, comment.id),
            )
            if item.reply_to:
                node["in_reply_to"] = item.reply_to
        replies: list[dict[str, object]] = []
        node["replies"] = replies
        while open_replies and open_replies[-1][0] >= item.level:
            open_replies.pop()
        (open_replies[-1][1] if open_replies else roots).append(node)
        open_replies.append((item.level, replies))
    return roots


def thread_comments(key: str) -> Response:
    """A page of a thread's approved comments, top level in the order of
    the thread's page, ``?after=<cursor>`` for the next."""
    state = get_state()
    session = db_session()
    thread = threads.get_thread(session, key)
    if thread is None:
        return _error(404, "There are no comments on a page by that name.")
    try:
        after = Cursor.decode(request.args["after"]) if request.args.get("after") else None
    except CursorError as error:
        return _error(400, str(error))
    page = threads.load_page(
        session,
        thread,
        max_depth=state.settings.max_depth,
        per_page=state.settings.per_page,
        wanted=threads.PageRequest(after=after),
    )
    thread_url = urljoin(request.host_url, thread.url)
    return _json(
        {
            "thread": {
                "key": thread.key,
                "title": thread.title,
                "url": thread_url,
                "approved_count": thread.approved_count,
            },
            "comments": comment_tree(page.items, thread_url),
            "next": page.next_cursor.encode() if page.next_cursor else None,
        }
    )


def counts() -> Response:
    """Approved comments per ``key`` (repeatable), in one statement."""
    keys = list(dict.fromkeys(request.args.getlist("key")))
    if not keys:
        return _error(400, "Ask for at least one thread: ?key=<key>, repeated for more.")
    if len(keys) > MAX_COUNT_KEYS:
        return _error(400, f"Ask for at most {MAX_COUNT_KEYS} keys at once; this asked for {len(keys):,}.")
    return _json({"counts": threads.comment_counts(db_session(), keys)})
