"""Attacks through the ids in the forum's own URLs.

- An id past PostgreSQL's int4 (2**31) or SQLite's int64 (2**63, 2**64) in any
  route with an id: a 404 with the forum's message, never a 500.
- Zero, a negative number, and Unicode digits ("²", "٣") in those routes: the
  same 404, never another comment.
- A well-formed id still reaches its comment.
"""

from __future__ import annotations

import re

import pytest

from forum_plugin.views import numbers_up_to

from ..conftest import add_users, comment_id_from, csrf_token, log_in, post_comment

BAD_IDS = ["0", str(2**31), str(2**63), str(2**64), "²", "-1", "٣", "1.0", "0x1", "01"]

# Every route of the forum that takes an id, with the method it answers.
ID_ROUTES = [
    ("GET", "/forum/comments/{id}/edit"),
    ("POST", "/forum/comments/{id}/edit"),
    ("POST", "/forum/comments/{id}/delete"),
    ("POST", "/forum/comments/{id}/report"),
    ("GET", "/forum/moderation/comments/{id}"),
    ("POST", "/forum/moderation/comments/{id}/edit"),
    ("POST", "/forum/moderation/comments/{id}/ban"),
    ("POST", "/forum/moderation/comments/{id}/edits/accept"),
    ("POST", "/forum/moderation/comments/{id}/approve"),
    ("POST", "/forum/moderation/bans/{id}/delete"),
    ("POST", "/forum/moderation/words/{id}/delete"),
]


@pytest.fixture
def moderator(make_app):
    app = make_app(csrf_protect=True)
    client = app.test_client()
    log_in(client, add_users(app)["moderator"])
    return client


def send(client, method: str, path: str):
    token = csrf_token(client.get("/posts/first-report").text)
    data = {"csrf_token": token, "body": "x", "reason": "spam", "kind": "email"}
    return client.open(path, method=method, data=data if method == "POST" else None)


@pytest.mark.parametrize("method, route", ID_ROUTES)
def test_an_id_out_of_range_or_not_ascii_is_the_forums_404_on_every_id_route(moderator, method, route):
    for bad in BAD_IDS:
        response = send(moderator, method, route.format(id=bad))
        assert response.status_code == 404, (route, bad, response.status_code)
        assert 'class="forum-error"' in response.text, (route, bad)


def test_a_json_client_gets_the_404_as_json(moderator):
    response = moderator.get(f"/forum/moderation/comments/{2**63}", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.is_json and response.json["error"]


def test_the_largest_id_a_database_stores_is_still_a_plain_not_found(moderator):
    response = moderator.get(f"/forum/moderation/comments/{2**31 - 1}")
    assert response.status_code == 404 and "There is no comment" in response.text


def test_a_well_formed_id_still_reaches_its_comment(moderator):
    comment_id = comment_id_from(post_comment(moderator, body="the one asked for"))
    page = moderator.get(f"/forum/moderation/comments/{comment_id}")
    assert page.status_code == 200 and "the one asked for" in page.text


@pytest.mark.parametrize("limit", [1, 9, 10, 305, 1000, 2**31 - 1])
def test_the_id_pattern_takes_exactly_the_numbers_from_one_to_the_limit(limit):
    pattern = re.compile(numbers_up_to(limit) + r"\Z")
    candidates = [*range(0, 1200), limit - 1, limit, limit + 1, limit * 10, 2**63]
    for number in candidates:
        assert bool(pattern.match(str(number))) == (1 <= number <= limit), number
        assert not pattern.match(f"0{number}") and not pattern.match(f"-{number}")
