"""Attacks on the comment form and on how threads come to exist, and what holds.

Every host here has a global CSRFProtect, as real blogs do.

- Sending the CSRF token in an ``X-CSRFToken`` header instead of the form
  (or a host with CSRF switched off) skips no robot check: the form's own
  signed ticket says when it was served.
- One aged form replayed many times stores one comment; the replays are
  told the form was already used.
- A POST to a key no page has rendered creates no thread and no page.
- A failed post (empty body, honeypot, bad parent, invalid fields, sent
  too soon) creates nothing: no thread, no comment, no audit row.
- A ticket forged with another secret, signed with Flask-WTF's salt,
  mangled, missing, or made for another key is refused, and no title changes.
"""

from __future__ import annotations

import time
from unittest import mock

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from forum_plugin.models import Comment, ModerationEvent, Thread

from .. import hostapp
from ..conftest import comment_id_from, form_fields, issue_ticket, post_comment, stored_comments

PAGE = "/posts/first-report"
POST_URL = "/forum/threads/first-report/comments"


def served_ago(client, seconds: float, path: str = PAGE) -> str:
    """The page as it was served ``seconds`` ago (its tokens signed then)."""
    real = time.time
    with mock.patch("itsdangerous.timed.time.time", lambda: real() - seconds):
        response = client.get(path)
    assert response.status_code == 200
    return response.text


def rows(app, model) -> int:
    with app.app_context():
        return hostapp.db.session.scalar(select(func.count()).select_from(model))


def thread_titles(app) -> dict[str, str]:
    with app.app_context():
        return dict(hostapp.db.session.execute(select(Thread.key, Thread.title)).all())


def test_a_csrf_token_sent_in_a_header_skips_no_robot_check(make_app):
    app = make_app(csrf_protect=True, FORUM_FORM_MIN_SECONDS=2)
    client = app.test_client()
    fields = form_fields(client.get(PAGE).text)
    for accept in ("text/html", "application/json"):
        response = client.post(
            POST_URL,
            headers={"X-CSRFToken": fields["csrf_token"], "Accept": accept},
            data={"forum_ticket": fields["forum_ticket"], "author_name": "Bot", "body": "posted at once"},
        )
        assert response.status_code == 400
        assert "That was quick" in response.text
    assert stored_comments(app) == 0
    aged = form_fields(served_ago(client, 5))
    on_time = client.post(
        POST_URL,
        headers={"X-CSRFToken": aged["csrf_token"]},
        data={"forum_ticket": aged["forum_ticket"], "author_name": "Mali", "body": "after reading"},
    )
    assert on_time.status_code == 303 and stored_comments(app) == 1


def test_the_robot_check_counts_fractions_of_a_second(make_app):
    """A form served late in one second and sent 1.1 s later is too soon for
    a 2-second minimum (whole-second signing times would have called it 2 s)."""
    app = make_app(csrf_protect=True, FORUM_FORM_MIN_SECONDS=2)
    client = app.test_client()
    served = int(time.time()) - 10 + 0.95
    with mock.patch("time.time", lambda: served):
        fields = form_fields(client.get(PAGE).text)
    with mock.patch("time.time", lambda: served + 1.1):
        hasty = client.post(POST_URL, data={**fields, "author_name": "Bot", "body": "just over a second"})
    assert hasty.status_code == 400 and "That was quick" in hasty.text
    with mock.patch("time.time", lambda: served + 2.05):
        on_time = client.post(POST_URL, data={**fields, "author_name": "Mali", "body": "just over two seconds"})
    assert on_time.status_code == 303 and stored_comments(app) == 1


def test_a_host_without_csrf_still_times_the_form(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, FORUM_FORM_MIN_SECONDS=2)
    hasty = post_comment(app.test_client(), body="no token at all, at once")
    assert hasty.status_code == 400 and "That was quick" in hasty.text
    assert stored_comments(app) == 0


def test_one_aged_form_replayed_many_times_stores_one_comment(make_app):
    app = make_app(csrf_protect=True, FORUM_FORM_MIN_SECONDS=2)
    client = app.test_client()
    fields = form_fields(served_ago(client, 60))
    answers = [
        client.post(POST_URL, data={**fields, "author_name": "Bot", "body": f"replayed message {n}"}) for n in range(6)
    ]
    assert [answer.status_code for answer in answers] == [303] + [400] * 5
    for answer in answers[1:]:
        assert "already used" in answer.text and "nothing was saved" in answer.text
    as_json = client.post(
        POST_URL,
        headers={"Accept": "application/json"},
        data={**fields, "author_name": "Bot", "body": "one more, by script"},
    )
    assert as_json.status_code == 400 and "already used" in str(as_json.get_json())
    assert stored_comments(app) == 1


def test_a_post_to_a_key_no_page_rendered_creates_no_thread_and_no_page(make_app):
    app = make_app(csrf_protect=True)
    client = app.test_client()
    fields = form_fields(client.get(PAGE).text)
    attempts = [
        {"csrf_token": fields["csrf_token"]},  # no ticket at all
        fields,  # the ticket of another page
        {**fields, "forum_ticket": issue_ticket(app, "first-report", title="Casino offers")},
    ]
    for data in attempts:
        response = client.post(
            "/forum/threads/casino-offers/comments",
            data={**data, "author_name": "Spammer", "body": "Cheap casino chips here"},
        )
        assert response.status_code == 400
        assert "nothing was saved" in response.text and "Cheap casino chips here" in response.text
    assert client.get("/forum/threads/casino-offers").status_code == 404
    assert rows(app, Thread) == 0 and stored_comments(app) == 0 and rows(app, ModerationEvent) == 0


FAILURES = {
    "empty body": {"body": "  \n "},
    "honeypot": {"website": "http://spam.example"},
    "bad parent": {"parent_id": "1"},
    "invalid email": {"author_email": "not-an-address"},
    "missing name": {"author_name": ""},
    "too soon": {},
}


@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_failed_post_creates_no_thread_comment_or_audit_row(make_app, failure):
    app = make_app(csrf_protect=True, FORUM_FORM_MIN_SECONDS=2)
    client = app.test_client()
    page = client.get(PAGE).text if failure == "too soon" else served_ago(client, 30)
    data = {**form_fields(page), "author_name": "Mali", "body": "A reader's words", **FAILURES[failure]}
    response = client.post(POST_URL, data=data)
    assert 400 <= response.status_code < 500
    assert rows(app, Thread) == 0 and stored_comments(app) == 0 and rows(app, ModerationEvent) == 0


def _foreign_serializer_ticket(app) -> str:
    payload = {"k": "first-report", "t": "Casino offers", "u": "https://evil.example/", "n": "x" * 24}
    return URLSafeTimedSerializer("another secret", salt="forum_plugin.form-ticket").dumps(payload)


def _csrf_salted_ticket(app) -> str:
    payload = {"k": "first-report", "t": "Casino offers", "u": "/posts/first-report", "n": "y" * 24}
    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(payload)


TICKETS = {
    "signed with another secret": lambda app, real: _foreign_serializer_ticket(app),
    "signed with Flask-WTF's salt": lambda app, real: _csrf_salted_ticket(app),
    "the CSRF token as ticket": lambda app, real: real["csrf_token"],
    "mangled": lambda app, real: real["forum_ticket"][:-4] + "AAAA",
    "cut short": lambda app, real: real["forum_ticket"][: len(real["forum_ticket"]) // 2],
    "empty": lambda app, real: "",
    "made for another key": lambda app, real: issue_ticket(app, "second-report", title="Casino offers"),
}


@pytest.mark.parametrize("kind", list(TICKETS))
def test_a_forged_or_mangled_ticket_is_refused_and_changes_no_title(make_app, kind):
    app = make_app(csrf_protect=True)
    client = app.test_client()
    comment_id_from(post_comment(client, body="the first, honest comment"))
    real = form_fields(client.get(PAGE).text)
    response = client.post(
        POST_URL,
        data={**real, "forum_ticket": TICKETS[kind](app, real), "author_name": "Mali", "body": "My careful words"},
    )
    assert response.status_code == 400
    assert "nothing was saved" in response.text and "My careful words" in response.text
    assert stored_comments(app) == 1
    assert thread_titles(app) == {"first-report": "First field report"}


def test_a_refused_ticket_on_a_thread_that_exists_gives_a_form_that_works(make_app):
    app = make_app(csrf_protect=True)
    client = app.test_client()
    comment_id_from(post_comment(client, body="the first comment"))
    real = form_fields(client.get(PAGE).text)
    refused = client.post(POST_URL, data={**real, "forum_ticket": "junk", "author_name": "Mali", "body": "kept text"})
    assert refused.status_code == 400 and "kept text" in refused.text
    again = client.post(POST_URL, data={**form_fields(refused.text), "author_name": "Mali", "body": "kept text"})
    assert comment_id_from(again) and stored_comments(app) == 2


def test_the_forums_own_page_offers_a_ticket_for_a_thread_that_exists(make_app):
    app = make_app(csrf_protect=True)
    client = app.test_client()
    comment_id_from(post_comment(client, body="from the host page"))
    own_page = client.get("/forum/threads/first-report").text
    response = client.post(POST_URL, data={**form_fields(own_page), "author_name": "Dara", "body": "from the forum"})
    comment_id = comment_id_from(response)
    assert response.headers["Location"] == f"/posts/first-report#comment-{comment_id}"
    assert thread_titles(app) == {"first-report": "First field report"}
    with app.app_context():
        assert hostapp.db.session.scalar(select(func.count()).select_from(Comment)) == 2
