"""An author against a moderator's decision, and readers' reports against a
re-approval, and what holds.

- Editing one's own comment, within the edit window, after a moderator
  rejected it or marked it spam, or after readers' reports hid it (which
  used to send it back to pending, or straight to approved in post mode):
  refused like a comment that is not theirs; its status and text stay.
  Deleting it is refused the same way.
- Reporting a comment once after a moderator approved it again (which used
  to hide it again at once): it stays published; the approval answered the
  earlier reports, and only new ones count toward the threshold.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum_plugin.models import Ban, Comment, Flag, ModerationEvent

from .. import hostapp
from ..conftest import (
    add_users,
    comment_id_from,
    csrf_token,
    log_in,
    moderate,
    post_comment,
    report,
    status_of,
)


def body_of(app, comment_id: int) -> str:
    with app.app_context():
        return hostapp.db.session.get(Comment, comment_id).body_markdown


def author_tries(author, comment_id: int) -> list[int]:
    token = csrf_token(author.get("/posts/first-report").text)
    opened = author.get(f"/forum/comments/{comment_id}/edit")
    edited = author.post(f"/forum/comments/{comment_id}/edit", data={"csrf_token": token, "body": "undo the decision"})
    deleted = author.post(f"/forum/comments/{comment_id}/delete", data={"csrf_token": token})
    for answer in (opened, edited, deleted):
        assert f"There is no comment #{comment_id}." in answer.text
    return [opened.status_code, edited.status_code, deleted.status_code]


@pytest.mark.parametrize("mode", ["pre", "post"])
@pytest.mark.parametrize("decision, status", [("reject", "rejected"), ("spam", "spam")])
def test_an_author_cannot_edit_away_a_moderators_decision(make_app, mode, decision, status):
    app = make_app(FORUM_MODERATION=mode)
    moderator, author = app.test_client(), app.test_client()
    log_in(moderator, add_users(app)["moderator"])
    comment_id = comment_id_from(post_comment(author, body="words a moderator refused"))
    assert moderate(moderator, comment_id, decision).status_code == 303
    assert author_tries(author, comment_id) == [404, 404, 404]
    assert status_of(app, comment_id) == status
    assert body_of(app, comment_id) == "words a moderator refused"


def test_an_author_cannot_edit_a_comment_that_reports_hid(make_app):
    app = make_app(FORUM_MODERATION="post", FORUM_FLAG_THRESHOLD=2)
    author = app.test_client()
    comment_id = comment_id_from(post_comment(author, body="words readers reported"))
    for n in range(2):
        assert report(app.test_client(), comment_id, address=f"198.51.100.{n + 1}").status_code == 200
    assert status_of(app, comment_id) == "pending"
    assert author_tries(author, comment_id) == [404, 404, 404]
    assert status_of(app, comment_id) == "pending"
    assert body_of(app, comment_id) == "words readers reported"


def open_reports(app, comment_id: int) -> tuple[int, int, list[str]]:
    """The comment's count of open reports, its cleared reports, and its audit reasons."""
    with app.app_context():
        session = hostapp.db.session
        comment = session.get(Comment, comment_id)
        cleared = session.scalars(select(Flag.id).where(Flag.comment_id == comment_id, Flag.cleared_at.is_not(None)))
        reasons = session.scalars(
            select(ModerationEvent.reason).where(ModerationEvent.comment_id == comment_id).order_by(ModerationEvent.id)
        )
        return comment.flag_count, len(cleared.all()), list(reasons)


@pytest.mark.parametrize("how", ["single", "bulk"])
def test_one_report_after_a_re_approval_does_not_hide_the_comment_again(make_app, how):
    app = make_app(FORUM_MODERATION="post", FORUM_FLAG_THRESHOLD=3)
    moderator = app.test_client()
    log_in(moderator, add_users(app)["moderator"])
    comment_id = comment_id_from(post_comment(app.test_client(), body="a comment some readers dislike"))
    for n in range(3):
        report(app.test_client(), comment_id, address=f"198.51.100.{n + 1}")
    assert status_of(app, comment_id) == "pending"
    if how == "single":
        assert moderate(moderator, comment_id, "approve").status_code == 303
    else:
        token = csrf_token(moderator.get("/forum/moderation/").text)
        answer = moderator.post(
            "/forum/moderation/bulk", data={"csrf_token": token, "action": "approve", "ids": [str(comment_id)]}
        )
        assert answer.status_code == 303
    flags, cleared, reasons = open_reports(app, comment_id)
    assert (status_of(app, comment_id), flags, cleared) == ("approved", 0, 3)
    assert "cleared 3 reports" in reasons[-1]

    assert report(app.test_client(), comment_id, address="198.51.100.4").status_code == 200
    assert status_of(app, comment_id) == "approved"
    again = report(app.test_client(), comment_id, address="198.51.100.1")
    assert again.status_code == 400 and "already reported" in again.text
    assert status_of(app, comment_id) == "approved"
    for n in (5, 6):
        report(app.test_client(), comment_id, address=f"198.51.100.{n}")
    assert status_of(app, comment_id) == "pending"
    assert open_reports(app, comment_id)[:2] == (3, 3)


def test_a_moderators_rewording_is_not_the_authors_to_undo(make_app):
    """A moderator cut words from a published comment; its author, still
    within the edit window, cannot put them back."""
    app = make_app(FORUM_MODERATION="post")
    moderator, author = app.test_client(), app.test_client()
    log_in(moderator, add_users(app)["moderator"])
    comment_id = comment_id_from(post_comment(author, body="a phone number a moderator removed"))
    detail = moderator.get(f"/forum/moderation/comments/{comment_id}").text
    reworded = moderator.post(
        f"/forum/moderation/comments/{comment_id}/edit",
        data={"csrf_token": csrf_token(detail), "body": "[number removed by a moderator]"},
    )
    assert reworded.status_code == 303
    assert (
        "/edit"
        not in author.get("/posts/first-report")
        .text.split(f'id="comment-{comment_id}"', 1)[1]
        .split("</article>", 1)[0]
    )
    assert author_tries(author, comment_id) == [404, 404, 404]
    assert body_of(app, comment_id) == "[number removed by a moderator]"


@pytest.mark.parametrize("kind", ["email", "domain"])
def test_a_silently_banned_author_can_change_their_comment_like_anyone_waiting(make_app, kind):
    """A silent ban keeps the comment as spam but tells the author it waits:
    their edit and delete answer as for any waiting comment, so the ban
    cannot be found by trying them; the edited text stays spam."""
    app = make_app()
    moderator = app.test_client()
    log_in(moderator, add_users(app)["moderator"])
    value = "quiet@example.org" if kind == "email" else "example.org"
    token = csrf_token(moderator.get("/forum/moderation/bans").text)
    banned = moderator.post("/forum/moderation/bans", data={"csrf_token": token, "kind": kind, "value": value})
    assert banned.status_code == 303
    answers = {}
    for who, email in (("banned", "quiet@example.org"), ("free", "free@elsewhere.example")):
        author = app.test_client()
        comment_id = comment_id_from(post_comment(author, body=f"{who} words", author_email=email))
        token = csrf_token(author.get("/posts/first-report").text)
        opened = author.get(f"/forum/comments/{comment_id}/edit")
        edited = author.post(
            f"/forum/comments/{comment_id}/edit", data={"csrf_token": token, "body": f"{who} words, again"}
        )
        status = status_of(app, comment_id)
        deleted = author.post(f"/forum/comments/{comment_id}/delete", data={"csrf_token": token})
        answers[who] = [opened.status_code, edited.status_code, deleted.status_code]
        if who == "banned":
            assert status == "spam" and body_of(app, comment_id) == "banned words, again"
    assert answers["banned"] == answers["free"] == [200, 303, 303]


@pytest.mark.parametrize("how", ["lifted ban", "other address"])
def test_an_edit_never_lets_a_comment_kept_as_spam_out(make_app, how):
    """Kept as spam by a silent ban, a comment stays spam through its
    author's edit: after the ban is lifted, or sent from another address
    than the banned one; only a moderator lets it out."""
    app = make_app(FORUM_MODERATION="post", FORUM_BAN_SILENT=True)
    moderator = app.test_client()
    log_in(moderator, add_users(app)["moderator"])
    author = app.test_client()
    author.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    comment_id = comment_id_from(post_comment(author, body="first words", author_email="quiet@example.org"))
    token = csrf_token(moderator.get("/forum/moderation/bans").text)
    if how == "lifted ban":
        moderator.post(
            "/forum/moderation/bans", data={"csrf_token": token, "kind": "email", "value": "quiet@example.org"}
        )
    else:
        moderator.post(
            "/forum/moderation/bans", data={"csrf_token": token, "kind": "ip", "value": "198.51.100.7", "confirm": "1"}
        )
    spam_id = comment_id_from(post_comment(author, body="words kept as spam", author_email="quiet@example.org"))
    assert status_of(app, spam_id) == "spam"
    if how == "lifted ban":
        with app.app_context():
            ban_id = hostapp.db.session.scalar(select(Ban.id))
        token = csrf_token(moderator.get("/forum/moderation/bans").text)
        assert moderator.post(f"/forum/moderation/bans/{ban_id}/delete", data={"csrf_token": token}).status_code == 303
    else:
        author.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    token = csrf_token(author.get(f"/forum/comments/{spam_id}/edit").text)
    edited = author.post(f"/forum/comments/{spam_id}/edit", data={"csrf_token": token, "body": "edited to get out"})
    assert edited.status_code == 303
    assert status_of(app, spam_id) == "spam" and body_of(app, spam_id) == "edited to get out"
    assert "edited to get out" not in app.test_client().get("/posts/first-report").text
    assert status_of(app, comment_id) == "approved"
