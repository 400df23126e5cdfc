"""flask forum export / erase: what is held about one person, handed over or removed."""

from __future__ import annotations

import json

import pytest

from forum_plugin.models import Comment, ModerationEvent

from . import hostapp
from .conftest import approve, comment_id_from, log_in, post_comment


@pytest.fixture
def written(app, users):
    """Two comments by Mali (one approved, with a reply by someone else), one by Dara."""
    mali, dara, moderator = app.test_client(), app.test_client(), app.test_client()
    log_in(moderator, users["moderator"])
    first = comment_id_from(post_comment(mali, author_email="Mali@Example.org", body="ครั้งแรก first"))
    approve(app, moderator, first)
    second = comment_id_from(post_comment(mali, author_email="mali@example.org", body="second"))
    reply = comment_id_from(
        post_comment(dara, author_name="Dara", author_email="dara@example.org", parent_id=str(first))
    )
    return {"first": first, "second": second, "reply": reply}


def cli(app, *args: str, input: str | None = None):
    return app.test_cli_runner().invoke(args=["forum", *args], input=input)


def test_export_writes_one_persons_comments_as_json(app, written, tmp_path):
    result = cli(app, "export", "--email", "MALI@example.org")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [c["id"] for c in data["comments"]] == [written["first"], written["second"]]
    first = data["comments"][0]
    assert first["body_markdown"] == "ครั้งแรก first"
    assert first["status"] == "approved" and first["thread"]["key"] == "first-report"
    assert "dara" not in result.output

    out = tmp_path / "mali.json"
    assert cli(app, "export", "--email", "mali@example.org", "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["comments"] == data["comments"]


def test_export_and_erase_say_so_when_nothing_matches(app, written):
    for command in (["export"], ["erase", "--yes"]):
        result = cli(app, *command, "--email", "nobody@example.org")
        assert result.exit_code == 1
        assert "Nothing is held about nobody@example.org" in result.output
        not_an_address = cli(app, *command, "--email", "nobody")
        assert not_an_address.exit_code == 1 and "'nobody' is not an email address" in not_an_address.output


def test_erase_anonymizes_and_keeps_text_and_replies(app, written):
    result = cli(app, "erase", "--email", "mali@example.org", input="y\n")
    assert result.exit_code == 0, result.output
    assert "Erased 2 comments" in result.output
    with app.app_context():
        session = hostapp.db.session
        for key in ("first", "second"):
            comment = session.get(Comment, written[key])
            assert (comment.author_name, comment.author_email, comment.ip_hash, comment.author_id) == (
                "Anonymous",
                None,
                None,
                None,
            )
        assert session.get(Comment, written["first"]).body_markdown == "ครั้งแรก first"
        reply = session.get(Comment, written["reply"])
        assert reply.parent_id == written["first"] and reply.author_email == "dara@example.org"
        actions = session.scalars(
            hostapp.db.select(ModerationEvent.action).where(ModerationEvent.comment_id == written["first"])
        ).all()
        assert "erase" in actions
    page = app.test_client().get("/posts/first-report").text
    assert "Anonymous" in page and "Mali" not in page
    assert cli(app, "export", "--email", "mali@example.org").exit_code == 1


def test_erase_can_remove_the_text_too(app, written):
    assert cli(app, "erase", "--email", "mali@example.org", "--remove-bodies", "--yes").exit_code == 0
    page = app.test_client().get("/posts/first-report").text
    assert "ครั้งแรก" not in page and "[removed at the author's request]" in page
    assert f'id="comment-{written["first"]}"' in page


def test_erase_asks_first_and_stops_on_no(app, written):
    result = cli(app, "erase", "--email", "mali@example.org", input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
    with app.app_context():
        assert hostapp.db.session.get(Comment, written["first"]).author_name == "Mali"
