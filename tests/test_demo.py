"""The demo blog: seeded on first run, and the whole comment loop through its pages."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from forum_plugin.demo import create_app
from forum_plugin.demo.models import db
from forum_plugin.demo.posts import POSTS
from forum_plugin.models import Base

from .conftest import csrf_token, form_fields


@pytest.fixture
def demo(tmp_path, db_url):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": db_url, "FORUM_FORM_MIN_SECONDS": 0}, instance_path=str(tmp_path / "instance")
    )
    yield app
    with app.app_context():
        db.session.remove()
        Base.metadata.drop_all(db.engine)
        db.drop_all()
        db.engine.dispose()


def log_in(client, username: str, password: str):
    token = csrf_token(client.get("/login").text)
    return client.post(
        "/login?next=/forum/moderation/", data={"csrf_token": token, "username": username, "password": password}
    )


def test_first_run_seeds_posts_and_comments_once(demo, tmp_path):
    index = demo.test_client().get("/").text
    assert all(post["title"] in index for post in POSTS)
    assert re.search(r"[1-9]\d* comments?</a>", index)
    assert (tmp_path / "instance" / "secret_key").is_file()
    again = create_app(
        {"SQLALCHEMY_DATABASE_URI": demo.config["SQLALCHEMY_DATABASE_URI"]}, instance_path=str(tmp_path / "instance")
    )
    assert again.test_client().get("/").text.count("post-card") == len(POSTS)
    assert again.config["SECRET_KEY"] == demo.config["SECRET_KEY"]
    with again.app_context():
        db.engine.dispose()


def test_reader_posts_and_the_demo_moderator_approves(demo):
    slug = POSTS[0]["slug"]
    reader, moderator = demo.test_client(), demo.test_client()
    page = reader.get(f"/posts/{slug}").text
    response = reader.post(
        f"/forum/threads/{slug}/comments",
        data={**form_fields(page), "author_name": "Visitor", "body": "Where can I donate?"},
    )
    assert response.status_code == 303 and response.headers["Location"].startswith(f"/posts/{slug}#comment-")
    comment_id = response.headers["Location"].rsplit("-", 1)[1]
    assert "awaiting moderation" in reader.get(f"/posts/{slug}").text

    assert log_in(moderator, "moderator", "wrong").status_code == 200
    assert log_in(moderator, "moderator", "moderate-demo").headers["Location"] == "/forum/moderation/"
    queue = moderator.get("/forum/moderation/").text
    assert "Where can I donate?" in queue
    approved = moderator.post(
        f"/forum/moderation/comments/{comment_id}/approve", data={"csrf_token": csrf_token(queue)}
    )
    assert approved.status_code == 303
    assert "Where can I donate?" in demo.test_client().get(f"/posts/{slug}").text


def test_the_reader_account_cannot_moderate(demo):
    client = demo.test_client()
    log_in(client, "reader", "read-demo")
    assert client.get("/forum/moderation/").status_code == 403


def test_the_start_command_prints_the_demo_accounts(monkeypatch, tmp_path):
    from forum_plugin.demo import __main__ as entry

    started = {}
    monkeypatch.setattr(entry, "create_app", lambda: _Recorder(started, tmp_path))
    result = CliRunner().invoke(entry.main, ["--port", "5077"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:5077/" in result.output
    assert "'moderator'" in result.output and "'moderate-demo'" in result.output and "'read-demo'" in result.output
    assert started == {"host": "127.0.0.1", "port": 5077}


class _Recorder:
    """Stands in for the app so the command's output can be read without serving."""

    def __init__(self, started: dict, tmp_path):
        self.started = started
        self.instance_path = str(tmp_path)
        self.config = {"FORUM_URL_PREFIX": "/forum"}

    def run(self, host, port):
        self.started.update(host=host, port=port)
