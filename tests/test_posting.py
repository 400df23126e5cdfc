"""A reader posts; the comment waits in the queue; a moderator approves it."""

from __future__ import annotations

from sqlalchemy import select

from forum_plugin.models import Comment, ModerationEvent

from . import hostapp
from .conftest import (
    approve,
    comment_id_from,
    csrf_token,
    issue_ticket,
    log_in,
    post_comment,
    stored_comments,
)

NOTICE = "awaiting moderation"


def test_anonymous_comment_goes_through_the_queue_to_the_page(app, users):
    author, stranger, moderator = app.test_client(), app.test_client(), app.test_client()
    response = post_comment(author, body="The shelter *needs* volunteers.", author_name="Mali")
    comment_id = comment_id_from(response)
    assert response.headers["Location"] == f"/posts/first-report#comment-{comment_id}"

    own_view = author.get("/posts/first-report").text
    assert f'id="comment-{comment_id}"' in own_view and NOTICE in own_view
    assert "The shelter <em>needs</em> volunteers." in own_view
    others_view = stranger.get("/posts/first-report").text
    assert f'id="comment-{comment_id}"' not in others_view and "volunteers" not in others_view
    assert "0 comments" in others_view

    log_in(moderator, users["moderator"])
    queue = moderator.get("/forum/moderation/").text
    assert "volunteers" in queue and "Mali" in queue
    assert approve(app, moderator, comment_id).status_code == 303

    for client in (stranger, author):
        page = client.get("/posts/first-report").text
        assert f'id="comment-{comment_id}"' in page and "volunteers" in page
        assert NOTICE not in page
        assert "1 comment<" in page
    assert "volunteers" not in moderator.get("/forum/moderation/").text


def test_every_decision_is_recorded(app, users):
    reader, moderator = app.test_client(), app.test_client()
    comment_id = comment_id_from(post_comment(reader))
    log_in(moderator, users["moderator"])
    approve(app, moderator, comment_id)
    with app.app_context():
        events = hostapp.db.session.scalars(select(ModerationEvent).order_by(ModerationEvent.id)).all()
        assert [(e.actor_name, e.from_status, e.to_status) for e in events] == [
            ("policy", None, "pending"),
            ("mod", "pending", "approved"),
        ]
        assert events[0].reason and events[1].actor_id == str(users["moderator"])


def test_logged_in_reader_posts_under_their_account(app, users):
    client = app.test_client()
    log_in(client, users["reader"])
    page = client.get("/posts/first-report").text
    assert 'name="author_name"' not in page and "Commenting as <strong>reader</strong>" in page
    comment_id = comment_id_from(post_comment(client, author_name=None))
    with app.app_context():
        comment = hostapp.db.session.get(Comment, comment_id)
        assert (comment.author_name, comment.author_id, comment.status) == ("reader", str(users["reader"]), "pending")
        assert comment.author_email == "reader@example.org"


def test_a_moderators_own_comment_is_published_at_once(app, users):
    moderator, stranger = app.test_client(), app.test_client()
    log_in(moderator, users["moderator"])
    comment_id = comment_id_from(post_comment(moderator, body="Thanks everyone."))
    page = stranger.get("/posts/first-report").text
    assert f'id="comment-{comment_id}"' in page and "Thanks everyone." in page


def test_validation_errors_keep_the_readers_text(app):
    client = app.test_client()
    response = post_comment(client, author_name="", author_email="not-an-address", body="My long careful reply")
    assert response.status_code == 400
    assert "Please give a name" in response.text
    assert "does not look like an email address" in response.text
    assert "My long careful reply" in response.text
    assert 'aria-invalid="true"' in response.text
    assert stored_comments(app) == 0


def test_empty_and_too_long_bodies_are_refused(make_app):
    app = make_app(FORUM_MAX_LENGTH=20)
    client = app.test_client()
    empty = post_comment(client, body="   \n ")
    assert empty.status_code == 400 and "Please write a comment" in empty.text
    long = post_comment(client, body="x" * 21)
    assert long.status_code == 400 and "the limit is 20" in long.text
    assert stored_comments(app) == 0


def test_missing_csrf_token_stores_nothing(app):
    client = app.test_client()
    client.get("/posts/first-report")
    response = client.post("/forum/threads/first-report/comments", data={"author_name": "A", "body": "hi"})
    assert response.status_code == 400 and "nothing was saved" in response.text
    assert stored_comments(app) == 0


def test_sites_without_anonymous_comments_ask_to_sign_in(make_app):
    app = make_app(FORUM_ALLOW_ANONYMOUS=False)
    client = app.test_client()
    assert "Please sign in to comment" in client.get("/posts/first-report").text
    page = client.get("/posts/first-report").text
    assert 'name="body"' not in page
    response = client.post("/forum/threads/first-report/comments", data={"author_name": "A", "body": "hi"})
    assert response.status_code == 403 and "sign in" in response.text
    assert stored_comments(app) == 0


def test_post_moderation_publishes_at_once(make_app):
    app = make_app(FORUM_MODERATION="post")
    author, stranger = app.test_client(), app.test_client()
    comment_id = comment_id_from(post_comment(author))
    assert f'id="comment-{comment_id}"' in stranger.get("/posts/first-report").text


def test_a_form_a_host_renders_for_a_new_key_starts_the_thread_on_the_forums_page(app, users):
    client = app.test_client()
    token = csrf_token(client.get("/posts/first-report").text)
    ticket = issue_ticket(app, "custom-form", title="A custom form")
    response = client.post(
        "/forum/threads/custom-form/comments",
        data={"csrf_token": token, "forum_ticket": ticket, "author_name": "A", "body": "first!"},
    )
    comment_id = comment_id_from(response)
    assert response.headers["Location"] == f"/posts/custom-form#comment-{comment_id}"
    assert "first!" in client.get("/forum/threads/custom-form").text
    assert stored_comments(app) == 1


def test_nh3_can_sanitize_instead_of_bleach(make_app):
    app = make_app(FORUM_SANITIZER="nh3", FORUM_MODERATION="post")
    client = app.test_client()
    comment_id_from(post_comment(client, body="**bold** <script>alert(1)</script> [x](javascript:alert(1))"))
    page = client.get("/posts/first-report").text
    assert "<strong>bold</strong> &lt;script&gt;" in page
    assert 'href="javascript' not in page.lower()


def test_pages_show_stored_html_without_rendering_again(make_app, monkeypatch):
    from forum_plugin import markup

    app = make_app(FORUM_MODERATION="post")
    client = app.test_client()
    comment_id_from(post_comment(client, body="rendered *once*"))
    calls = []
    for name in list(markup.SANITIZERS):
        monkeypatch.setitem(markup.SANITIZERS, name, lambda html, name=name: calls.append(name) or html)
    monkeypatch.setattr(markup, "markdown_to_html", lambda source: calls.append("markdown") or source)
    for path in ("/posts/first-report", "/forum/threads/first-report"):
        assert "rendered <em>once</em>" in client.get(path).text
    assert calls == []


def test_email_and_ip_never_reach_public_html(app, users):
    author, moderator, stranger = app.test_client(), app.test_client(), app.test_client()
    comment_id = comment_id_from(post_comment(author, author_email="secret.person@example.org"))
    log_in(moderator, users["moderator"])
    assert "secret.person@example.org" in moderator.get("/forum/moderation/").text
    approve(app, moderator, comment_id)
    with app.app_context():
        comment = hostapp.db.session.get(Comment, comment_id)
        assert comment.ip_hash and "127.0.0.1" not in comment.ip_hash
    for client in (author, stranger):
        page = client.get("/posts/first-report").text
        assert "secret.person" not in page and "127.0.0.1" not in page and comment.ip_hash not in page
