"""Authors change or remove their own comments, within the edit window; nobody else can."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from forum_plugin.models import Comment, Revision, utcnow

from . import hostapp
from .conftest import add_users, comment_id_from, csrf_token, log_in, post_comment


def edit(client, comment_id: int, body: str):
    page = client.get(f"/forum/comments/{comment_id}/edit")
    token = csrf_token(page.text) if page.status_code == 200 else csrf_token(client.get("/posts/first-report").text)
    return client.post(f"/forum/comments/{comment_id}/edit", data={"csrf_token": token, "body": body})


def delete(client, comment_id: int):
    token = csrf_token(client.get("/posts/first-report").text)
    return client.post(f"/forum/comments/{comment_id}/delete", data={"csrf_token": token})


def comment(app, comment_id: int) -> Comment:
    with app.app_context():
        found = hostapp.db.session.get(Comment, comment_id)
        hostapp.db.session.expunge(found)
        return found


def test_an_anonymous_author_edits_through_their_session(app):
    author, stranger = app.test_client(), app.test_client()
    comment_id = comment_id_from(post_comment(author, body="first draft"))
    page = author.get("/posts/first-report").text
    assert f'href="/forum/comments/{comment_id}/edit"' in page
    assert "/edit" not in stranger.get("/posts/first-report").text
    form = author.get(f"/forum/comments/{comment_id}/edit")
    assert form.status_code == 200 and "first draft" in form.text
    assert edit(author, comment_id, "second draft").status_code == 303
    assert comment(app, comment_id).body_markdown == "second draft"
    with app.app_context():
        assert hostapp.db.session.scalars(select(Revision.body_markdown)).all() == ["first draft"]
    refused = edit(stranger, comment_id, "vandalised")
    assert refused.status_code == 403 and "only change your own comments" in refused.text
    assert comment(app, comment_id).body_markdown == "second draft"


def test_accounts_edit_their_own_and_not_each_others(make_app):
    app = make_app(FORUM_MODERATION="post")
    users = add_users(app)
    owner, other = app.test_client(), app.test_client()
    log_in(owner, users["reader"])
    log_in(other, users["moderator"])
    comment_id = comment_id_from(post_comment(owner, author_name=None, body="my words"))
    assert edit(other, comment_id, "not yours").status_code == 403
    assert delete(other, comment_id).status_code == 403
    assert edit(owner, comment_id, "my better words").status_code == 303
    assert "my better words" in app.test_client().get("/posts/first-report").text


def test_an_edit_goes_back_through_the_policy(make_app):
    app = make_app(FORUM_MODERATION="post", FORUM_MAX_LINKS=2)
    author = app.test_client()
    comment_id = comment_id_from(post_comment(author, body="plain and approved"))
    assert comment(app, comment_id).status == "approved"
    edit(author, comment_id, "now see https://a.example https://b.example https://c.example")
    edited = comment(app, comment_id)
    assert (edited.status, edited.moderation_reason) == ("pending", "held: 3 links, limit 2")
    assert "a.example" not in app.test_client().get("/posts/first-report").text
    assert "awaiting moderation" in author.get("/posts/first-report").text


def test_the_edit_window_closes(make_app):
    app = make_app(FORUM_EDIT_WINDOW=900)
    author = app.test_client()
    comment_id = comment_id_from(post_comment(author, body="written long ago"))
    with app.app_context():
        hostapp.db.session.execute(
            update(Comment).where(Comment.id == comment_id).values(created_at=utcnow() - timedelta(seconds=901))
        )
        hostapp.db.session.commit()
    late = edit(author, comment_id, "too late")
    assert late.status_code == 403 and "time to change this comment has passed" in late.text
    assert delete(author, comment_id).status_code == 403
    assert "/edit" not in author.get("/posts/first-report").text


def test_deleting_keeps_the_replies_under_a_placeholder(make_app):
    app = make_app(FORUM_MODERATION="post")
    author, replier = app.test_client(), app.test_client()
    parent = comment_id_from(post_comment(author, body="I may regret this"))
    comment_id_from(post_comment(replier, author_name="Dara", body="a thoughtful answer", parent_id=str(parent)))
    assert delete(replier, parent).status_code == 403
    assert delete(author, parent).status_code == 303
    assert comment(app, parent).status == "deleted"
    page = app.test_client().get("/posts/first-report").text
    assert "I may regret this" not in page and "[removed]" in page and "a thoughtful answer" in page


def test_edits_and_deletes_need_the_forms_token(app):
    author = app.test_client()
    comment_id = comment_id_from(post_comment(author, body="guarded"))
    assert author.post(f"/forum/comments/{comment_id}/edit", data={"body": "x"}).status_code == 400
    assert author.post(f"/forum/comments/{comment_id}/delete").status_code == 400
    assert comment(app, comment_id).body_markdown == "guarded"
    assert author.post("/forum/comments/987654/delete").status_code == 404
