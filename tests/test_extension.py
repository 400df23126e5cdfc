"""Mounting the extension: with and without a host db, CSRFProtect, several apps, config."""

from __future__ import annotations

import pytest
from flask import Flask, render_template_string
from sqlalchemy import inspect

from forum_plugin import Forum, comment_approved, comment_posted

from . import hostapp
from .conftest import approve, comment_id_from, log_in, post_comment, stored_comments


def test_forum_tables_live_beside_the_hosts_and_leave_them_alone(app, users):
    with app.app_context():
        names = set(inspect(hostapp.db.engine).get_table_names())
        assert {"host_users", "forum_threads", "forum_comments", "forum_moderation_events"} <= names
        Forum.drop_all()
        names = set(inspect(hostapp.db.engine).get_table_names())
        assert "host_users" in names and not any(name.startswith("forum_") for name in names)
        assert hostapp.db.session.get(hostapp.User, users["reader"]).username == "reader"
        Forum.create_all()


def plain_app(tmp_path, name: str = "plain_host", forum: Forum | None = None, **config) -> Flask:
    """A host with no Flask-SQLAlchemy and no Flask-Login of its own."""
    app = Flask(name, instance_path=str(tmp_path / name))
    app.config.update(SECRET_KEY=name, FORUM_FORM_MIN_SECONDS=0, **config)
    (forum or Forum()).init_app(app)

    @app.get("/article")
    def article():
        return render_template_string("{{ forum_comments('article', title='An article') }}")

    with app.app_context():
        Forum.create_all()
    return app


def dispose(app: Flask) -> None:
    with app.app_context():
        app.extensions["forum"].db.engine.dispose()


def test_without_a_host_db_the_forum_keeps_sqlite_in_the_instance_folder(tmp_path):
    app = plain_app(tmp_path)
    client = app.test_client()
    comment_id = comment_id_from(post_comment(client, "article", page="/article"))
    assert (tmp_path / "plain_host" / "forum.sqlite3").is_file()
    page = client.get("/article").text
    assert f'id="comment-{comment_id}"' in page and "awaiting moderation" in page
    assert "Please sign in" not in page
    assert client.get("/forum/moderation/").status_code == 401
    dispose(app)


def test_one_forum_serves_two_apps_from_one_factory(tmp_path):
    forum = Forum()
    first = plain_app(tmp_path, "first_site", forum, FORUM_MODERATION="post")
    second = plain_app(tmp_path, "second_site", forum, FORUM_URL_PREFIX="/comments")
    assert first.extensions["forum"].forum is second.extensions["forum"].forum is forum

    first_id = comment_id_from(post_comment(first.test_client(), "article", page="/article", body="only on the first"))
    second_id = comment_id_from(
        post_comment(second.test_client(), "article", page="/article", prefix="/comments", body="only on the second")
    )
    first_page = first.test_client().get("/article").text
    second_page = second.test_client().get("/article").text
    assert "only on the first" in first_page and f'id="comment-{first_id}"' in first_page
    # The second site pre-moderates: a stranger sees nothing yet.
    assert "only on the first" not in second_page and "only on the second" not in second_page
    assert 'action="/comments/threads/article/comments"' in second_page
    assert second_id == 1
    dispose(first)
    dispose(second)


def test_init_app_twice_on_one_app_is_a_clear_error(app):
    with pytest.raises(RuntimeError, match="already set up on this app"):
        Forum().init_app(app, db=hostapp.db)


@pytest.mark.parametrize("key, value", [("FORUM_MODERATION", "sometimes"), ("FORUM_SANITIZER", "regex")])
def test_unsupported_settings_are_refused_at_startup(tmp_path, key, value):
    app = Flask("bad_config", instance_path=str(tmp_path))
    app.config[key] = value
    with pytest.raises(ValueError, match=key):
        Forum(app)


def test_defaults_fill_only_what_the_host_left_out(make_app):
    app = make_app(FORUM_MAX_DEPTH=2)
    assert app.config["FORUM_MAX_DEPTH"] == 2
    assert app.config["FORUM_URL_PREFIX"] == "/forum" and app.config["FORUM_MODERATION"] == "pre"
    assert app.extensions["forum"].settings.max_depth == 2


def test_works_with_the_hosts_csrfprotect(make_app):
    app = make_app(csrf_protect=True)
    client = app.test_client()
    comment_id = comment_id_from(post_comment(client, body="protected twice"))
    assert "protected twice" in client.get("/posts/first-report").text and comment_id
    refused = client.post("/forum/threads/first-report/comments", data={"author_name": "A", "body": "no token"})
    assert refused.status_code == 400 and "nothing was saved" in refused.text
    assert stored_comments(app) == 1


def test_moderator_check_and_user_name_can_be_replaced(make_app):
    forum = Forum()

    @forum.moderator_check
    def editors_moderate(user):
        return user.is_authenticated and user.username.startswith("editor")

    @forum.user_name
    def shout(user):
        return user.username.upper()

    app = make_app(forum=forum)
    with app.app_context():
        hostapp.db.session.add(hostapp.User(username="editor-kim", email="kim@example.org"))
        hostapp.db.session.commit()
        editor = hostapp.db.session.scalar(hostapp.db.select(hostapp.User.id))
    client = app.test_client()
    log_in(client, editor)
    comment_id = comment_id_from(post_comment(client, body="editor's note"))
    page = app.test_client().get("/posts/first-report").text
    assert f'id="comment-{comment_id}"' in page and "EDITOR-KIM" in page
    assert client.get("/forum/moderation/").status_code == 200


def test_signals_carry_the_app_and_the_comment(app, users):
    received = []

    def record(signal_name):
        def receiver(sender, comment):
            received.append((signal_name, sender, comment.id, comment.status))

        return receiver

    posted, approved = record("posted"), record("approved")
    comment_posted.connect(posted)
    comment_approved.connect(approved)
    try:
        reader, moderator = app.test_client(), app.test_client()
        comment_id = comment_id_from(post_comment(reader))
        log_in(moderator, users["moderator"])
        approve(app, moderator, comment_id)
    finally:
        comment_posted.disconnect(posted)
        comment_approved.disconnect(approved)
    assert received == [("posted", app, comment_id, "pending"), ("approved", app, comment_id, "approved")]
