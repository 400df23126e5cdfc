"""Odd parameters on the pages that show comments, and what holds.

- ``?forum_comment=`` with Unicode digits (``²`` passes ``str.isdigit()``,
  ``٣`` is read by ``int()``), ids past PostgreSQL's int4 (2**31) or
  SQLite's int64 (2**63), zero and negatives, on the host's page and the
  forum's own page: the page answers 200 with its first page of comments.
- ``?forum_after=`` / ``?forum_before=`` cursors with such ids, dates no
  database stores, time zones, or junk: the host's page shows the first
  page; the JSON API answers 400 with ``{"error": ...}``.
- ``?reply_to=`` and a posted ``parent_id`` in other scripts' digits or out
  of range: the page renders; a post is refused with a message.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from forum_plugin.paging import Cursor, CursorError

from ..conftest import by_moderator, form_fields, seed_comment, stored_comments

ODD_IDS = ["²", "\u0663", "0", "-1", str(2**31), str(2**31 - 1), str(2**63), str(2**64), "1e3", " 1", "1_000"]
ODD_CURSORS = [
    f"2026-01-01T00:00:00_{2**31}",
    f"2026-01-01T00:00:00_{2**63}",
    "2026-01-01T00:00:00_0",
    "2026-01-01T00:00:00_-4",
    "2026-01-01T00:00:00_\u0663",
    "0001-01-01T00:00:00_1",
    "9999-12-31T23:59:59.999999+14:00_1",
    "2026-01-01T00:00:00+05:00_1",
    "2026-13-01T00:00:00_1",
    "20260101_1",
    "nonsense",
    "_",
    "",
]


@pytest.fixture
def thread(app, users):
    """Three approved comments on "first-report", posted by a moderator."""
    return [seed_comment(app, f"comment number {n}", **by_moderator(users)) for n in range(3)]


@pytest.mark.parametrize("value", ODD_IDS)
@pytest.mark.parametrize("path", ["/posts/first-report", "/forum/threads/first-report"])
def test_an_odd_comment_id_in_a_page_link_shows_the_first_page(app, thread, path, value):
    for name in ("forum_comment", "reply_to"):
        response = app.test_client().get(f"{path}?{name}={quote(value)}")
        assert response.status_code == 200, (name, value)
        assert "comment number 0" in response.text and "comment number 2" in response.text


@pytest.mark.parametrize("cursor", ODD_CURSORS)
def test_an_odd_cursor_shows_the_host_page_and_the_api_says_400(app, thread, cursor):
    client = app.test_client()
    for name in ("forum_after", "forum_before"):
        response = client.get(f"/posts/first-report?{name}={quote(cursor)}")
        assert response.status_code == 200 and "comment number 0" in response.text, (name, cursor)
    if cursor:
        api = client.get(f"/forum/api/threads/first-report/comments?after={quote(cursor)}")
        assert api.status_code == 400 and api.mimetype == "application/json" and api.get_json()["error"]


@pytest.mark.parametrize("cursor", [c for c in ODD_CURSORS])
def test_a_cursor_outside_what_the_databases_hold_is_a_cursor_error(cursor):
    with pytest.raises(CursorError):
        Cursor.decode(cursor)


def test_cursors_the_forum_hands_out_read_back():
    from datetime import datetime

    for cursor in (Cursor(datetime(2026, 5, 1, 12, 30), 7), Cursor(datetime(2026, 5, 1, 12, 30, 0, 5), 2**31 - 1)):
        assert Cursor.decode(cursor.encode()) == cursor


@pytest.mark.parametrize("value", ["²", "\u0663", "\u0661", str(2**31), str(2**63), "0", "-1"])
def test_an_odd_parent_id_is_refused_with_a_message(app, thread, value):
    client = app.test_client()
    before = stored_comments(app)
    page = client.get("/posts/first-report").text
    response = client.post(
        "/forum/threads/first-report/comments",
        data={**form_fields(page), "author_name": "A", "body": "my reply", "parent_id": value},
    )
    assert response.status_code == 400 and "not a valid comment" in response.text and "my reply" in response.text
    assert stored_comments(app) == before
