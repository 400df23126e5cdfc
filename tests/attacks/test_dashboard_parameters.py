"""Parameters of the moderators' pages, sent by someone trying to break them.

Each must answer 400 (or 404) with a message in the page, or do the harmless
thing, on SQLite, PostgreSQL and MariaDB; never a 500, never a header the
attacker wrote. Attacks defended here, on a host with a global CSRFProtect:

- cursors (``after`` on the dashboard) with ids past what the databases store
  (2**31 on PostgreSQL, 2**63 on SQLite), below 1, dates out of range, junk;
- the audit log's ``comment`` and ``before`` with Unicode digits (which pass
  ``str.isdigit()``), huge numbers and thousands of digits; ``moderator`` far
  longer than any account id, or in Unicode digits;
- ``status`` junk and a ``thread`` key longer than any stored;
- a bulk action's ``ids`` in Unicode digits or past the databases' range;
- the ``next`` field of a moderation form with CR/LF (a header injection), an
  absolute URL, a scheme-relative URL or a path that climbs out of the
  dashboard: the moderator lands on the dashboard.
"""

from __future__ import annotations

import pytest

from .. import hostapp
from ..conftest import csrf_token, seed_comment

HUGE = [str(2**31), str(2**63), "9" * 30, "9" * 5000]
UNICODE_DIGITS = ["²", "١٢", "１２", "߁"]


@pytest.fixture
def app(make_app):
    return make_app(csrf_protect=True)


@pytest.fixture
def comment_id(app):
    return seed_comment(app, "a comment to act on")


def refused(response, *words: str) -> None:
    assert response.status_code == 400, response.status_code
    assert "Internal Server Error" not in response.text and "Traceback" not in response.text
    for word in words:
        assert word in response.text


@pytest.mark.parametrize(
    "cursor",
    [f"2026-01-01T00:00:00_{n}" for n in HUGE]
    + [
        "2026-01-01T00:00:00_0",
        "2026-01-01T00:00:00_-5",
        "0001-01-01T00:00:00_1",
        "2026-13-45T00:00:00_1",
        "2026-01-01T00:00:00_²",
        "_",
        "x" * 3000,
    ],
)
def test_a_forged_dashboard_cursor_is_refused_with_a_message(moderator, comment_id, cursor):
    refused(moderator.get("/forum/moderation/", query_string={"after": cursor}), "is not a page of this list")


@pytest.mark.parametrize("name", ["comment", "before"])
@pytest.mark.parametrize("value", HUGE + UNICODE_DIGITS + ["0", "-1", "1e3", " 1"])
def test_the_audit_logs_numbers_refuse_huge_and_unicode_digits(moderator, comment_id, name, value):
    refused(moderator.get("/forum/moderation/log", query_string={name: value}), "must be a comment number")


@pytest.mark.parametrize("value", UNICODE_DIGITS)
def test_a_moderator_filter_in_unicode_digits_simply_matches_nobody(moderator, comment_id, value):
    page = moderator.get("/forum/moderation/log", query_string={"moderator": value})
    assert page.status_code == 200 and "Nothing recorded." in page.text


def test_a_moderator_filter_longer_than_any_account_id_is_refused(moderator, comment_id):
    refused(moderator.get("/forum/moderation/log", query_string={"moderator": "7" * 10_000}), "at most 64 characters")


@pytest.mark.parametrize("status", ["bogus", "pending\r\nX-Injected: 1", "p" * 5000, "²", "PENDING"])
def test_a_junk_status_is_refused_with_the_statuses_to_use(moderator, status):
    refused(moderator.get("/forum/moderation/", query_string={"status": status}), "is not a status", "pending")


def test_a_thread_key_longer_than_any_stored_is_refused(moderator):
    refused(moderator.get("/forum/moderation/", query_string={"thread": "k" * 300}), "at most 255 characters")
    assert moderator.get("/forum/moderation/", query_string={"thread": "k" * 255}).status_code == 200


@pytest.mark.parametrize("value", HUGE + UNICODE_DIGITS + ["0", "-3"])
def test_bulk_ids_in_unicode_digits_or_past_the_databases_range_are_refused(app, moderator, comment_id, value):
    token = csrf_token(moderator.get("/forum/moderation/").text)
    response = moderator.post(
        "/forum/moderation/bulk", data={"csrf_token": token, "action": "approve", "ids": [str(comment_id), value]}
    )
    refused(response, "is not a comment id")
    with app.app_context():
        from forum_plugin.models import Comment

        assert hostapp.db.session.get(Comment, comment_id).status == "pending"


@pytest.mark.parametrize(
    "target",
    [
        "/forum/moderation/\r\nSet-Cookie: session=stolen",
        "/forum/moderation/?q=x\nLocation: https://evil.example/",
        "/forum/moderation/%0d%0aSet-Cookie:%20a=b",
        "https://evil.example/forum/moderation/",
        "//evil.example/forum/moderation/",
        "/forum/moderation//evil.example",
        "/forum/moderation/\\evil.example",
        "/forum/moderation/../../logout",
        "/forum/moderation/%2e%2e/%2e%2e/logout",
        "javascript:alert(1)//forum/moderation/",
        "/forum/moderation/\x00",
    ],
)
def test_a_moderation_forms_next_field_cannot_inject_headers_or_leave_the_dashboard(moderator, comment_id, target):
    token = csrf_token(moderator.get("/forum/moderation/").text)
    response = moderator.post(
        f"/forum/moderation/comments/{comment_id}/approve", data={"csrf_token": token, "next": target}
    )
    assert response.status_code in (303, 400)
    if response.status_code == 303:
        assert response.headers["Location"] == "/forum/moderation/"
    headers = str(response.headers)
    assert all(injected not in headers for injected in ("stolen", "a=b", "X-Injected", "evil.example", "logout"))


def test_a_moderation_forms_next_field_still_returns_to_the_page_the_moderator_was_on(moderator, comment_id):
    token = csrf_token(moderator.get("/forum/moderation/").text)
    back = "/forum/moderation/?status=pending&thread=first-report&q=a%20comment"
    response = moderator.post(
        f"/forum/moderation/comments/{comment_id}/approve", data={"csrf_token": token, "next": back}
    )
    assert response.status_code == 303 and response.headers["Location"] == back
