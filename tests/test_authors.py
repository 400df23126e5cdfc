"""Authors change or remove their own comments, within the edit window; nobody else can."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from forum_plugin.models import Comment, ModerationEvent, Revision, utcnow

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
    # The comment is still pending: to a stranger it does not exist.
    refused = edit(stranger, comment_id, "vandalised")
    assert refused.status_code == 404 and f"There is no comment #{comment_id}." in refused.text
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


def test_a_held_edit_leaves_the_published_text_on_the_page_until_accepted(make_app):
    app = make_app(FORUM_MODERATION="post", FORUM_MAX_LINKS=2)
    users = add_users(app)
    author, moderator = app.test_client(), app.test_client()
    log_in(moderator, users["moderator"])
    comment_id = comment_id_from(post_comment(author, body="plain and approved"))
    edit(author, comment_id, "now see https://a.example https://b.example https://c.example")
    held = comment(app, comment_id)
    assert (held.status, held.edit_pending, held.body_markdown) == ("approved", True, "plain and approved")
    public = app.test_client().get("/posts/first-report").text
    assert "plain and approved" in public and "a.example" not in public
    assert "Your edit is awaiting moderation" in author.get("/posts/first-report").text
    queue = moderator.get("/forum/moderation/?status=edits").text
    assert 'Held edits <span class="forum-count">1</span>' in queue and "b.example" in queue
    with app.app_context():
        reasons = hostapp.db.session.scalars(
            select(ModerationEvent.reason).where(
                ModerationEvent.comment_id == comment_id, ModerationEvent.action == "author edit held"
            )
        ).all()
    assert reasons == ["held: 3 links, limit 2"]
    response = moderator.post(
        f"/forum/moderation/comments/{comment_id}/edits/accept", data={"csrf_token": csrf_token(queue)}
    )
    assert response.status_code == 303
    accepted = comment(app, comment_id)
    assert (accepted.edit_pending, accepted.status) == (False, "approved")
    assert "c.example" in app.test_client().get("/posts/first-report").text


def test_a_refused_edit_is_kept_on_record_and_changes_nothing(make_app):
    app = make_app(FORUM_MODERATION="post", FORUM_SUSPECT_WORDS=("transfer",))
    users = add_users(app)
    author, moderator = app.test_client(), app.test_client()
    log_in(moderator, users["moderator"])
    comment_id = comment_id_from(post_comment(author, body="kind words"))
    edit(author, comment_id, "please transfer money")
    queue = moderator.get("/forum/moderation/?status=edits").text
    moderator.post(f"/forum/moderation/comments/{comment_id}/edits/refuse", data={"csrf_token": csrf_token(queue)})
    refused = comment(app, comment_id)
    assert (refused.edit_pending, refused.body_markdown, refused.status) == (False, "kind words", "approved")
    with app.app_context():
        kept = hostapp.db.session.scalars(select(Revision.body_markdown).where(Revision.comment_id == comment_id)).all()
    assert kept == ["please transfer money"]


def test_an_edit_of_a_waiting_comment_is_judged_again(make_app):
    app = make_app(FORUM_BANNED_WORDS=("scam",))
    author = app.test_client()
    comment_id = comment_id_from(post_comment(author, body="waiting politely"))
    refused = edit(author, comment_id, "this is a scam")
    assert refused.status_code == 400 and "language this site does not accept" in refused.text
    assert comment(app, comment_id).status == "rejected"


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
