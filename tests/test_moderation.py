"""The first moderation page: who may see it, and its actions."""

from __future__ import annotations

import pytest

from .conftest import comment_id_from, csrf_token, log_in, post_comment, status_of


@pytest.fixture
def pending_id(app):
    return comment_id_from(post_comment(app.test_client(), body="please review me"))


def test_anonymous_visitors_are_sent_to_the_hosts_login(app, pending_id):
    client = app.test_client()
    response = client.get("/forum/moderation/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    action = client.post(f"/forum/moderation/comments/{pending_id}/approve")
    assert action.status_code == 302
    assert status_of(app, pending_id) == "pending"


def test_readers_who_are_not_moderators_get_403(app, users, pending_id):
    client = app.test_client()
    log_in(client, users["reader"])
    page = client.get("/forum/moderation/")
    assert page.status_code == 403 and "Only moderators" in page.text
    assert "please review me" not in page.text
    assert client.post(f"/forum/moderation/comments/{pending_id}/approve").status_code == 403
    assert status_of(app, pending_id) == "pending"


def test_queue_shows_pending_comments_with_buttons(moderator, pending_id):
    page = moderator.get("/forum/moderation/").text
    assert "please review me" in page and "Why held:" in page
    assert f'action="/forum/moderation/comments/{pending_id}/approve"' in page
    assert f'action="/forum/moderation/comments/{pending_id}/reject"' in page
    assert "First field report" in page


def test_reject_keeps_the_comment_off_the_page(app, moderator, pending_id):
    token = csrf_token(moderator.get("/forum/moderation/").text)
    response = moderator.post(f"/forum/moderation/comments/{pending_id}/reject", data={"csrf_token": token})
    assert response.status_code == 303
    assert status_of(app, pending_id) == "rejected"
    assert "please review me" not in app.test_client().get("/posts/first-report").text
    after = moderator.get("/forum/moderation/").text
    assert "Rejected: comment #" in after and "please review me" not in after


def test_actions_need_a_csrf_token_and_a_post(app, moderator, pending_id):
    refused = moderator.post(f"/forum/moderation/comments/{pending_id}/approve")
    assert refused.status_code == 400 and "nothing was saved" in refused.text
    assert moderator.get(f"/forum/moderation/comments/{pending_id}/approve").status_code == 405
    assert status_of(app, pending_id) == "pending"


def test_unknown_comments_and_actions_are_404(moderator, pending_id):
    token = csrf_token(moderator.get("/forum/moderation/").text)
    missing = moderator.post("/forum/moderation/comments/987654/approve", data={"csrf_token": token})
    assert missing.status_code == 404 and "no comment #987654" in missing.text
    unknown = moderator.post(f"/forum/moderation/comments/{pending_id}/explode", data={"csrf_token": token})
    assert unknown.status_code == 404 and "no moderation action" in unknown.text
