"""Rendering the comment section inside a host's view only reads: it never
commits, flushes or rolls back the host's unit of work, and opens no second
connection. A thread's row is made (and its title kept current) by the
first post, from what the page's signed form said."""

from __future__ import annotations

import pytest
from flask import render_template_string
from sqlalchemy import inspect, select

from forum_plugin.models import Thread

from . import hostapp
from .conftest import comment_id_from, form_fields, post_comment

SECTION = "{{ forum_comments(key, title=title, url=request.path) }}"


@pytest.fixture
def host(make_app):
    """A host whose views write to their own table, then render the section."""
    app = make_app()
    seen: dict[str, object] = {}

    @app.get("/drafts/<key>")
    def pending_then_rollback(key):
        user = hostapp.User(username=f"draft-{key}", email="draft@example.org")
        hostapp.db.session.add(user)
        html = render_template_string(SECTION, key=key, title="Drafts")
        seen["pending after rendering"] = inspect(user).pending
        hostapp.db.session.rollback()
        return html

    @app.get("/flushed/<key>")
    def flushed_then_rollback(key):
        hostapp.db.session.add(hostapp.User(username=f"flushed-{key}", email="flushed@example.org"))
        hostapp.db.session.flush()  # the host has written in this request: SQLite's lock is held
        html = render_template_string(SECTION, key=key, title="Flushed")
        hostapp.db.session.rollback()
        return html

    @app.get("/titled/<key>/<title>")
    def titled(key, title):
        return render_template_string(SECTION, key=key, title=title)

    app.seen = seen
    return app


def host_users(app) -> list[str]:
    with app.app_context():
        return hostapp.db.session.scalars(select(hostapp.User.username)).all()


def threads_stored(app) -> dict[str, tuple[str, str]]:
    with app.app_context():
        return {t.key: (t.title, t.url) for t in hostapp.db.session.scalars(select(Thread))}


@pytest.mark.parametrize("key", ["first-report", "a-new-key"])
def test_a_host_that_rolls_back_after_rendering_loses_its_change(host, key):
    post_comment(host.test_client(), "first-report")  # one thread exists, one does not
    response = host.test_client().get(f"/drafts/{key}")
    assert response.status_code == 200 and 'name="body"' in response.text
    assert host.seen["pending after rendering"] is True, "rendering flushed the host's pending object"
    assert host_users(host) == []


def test_a_host_that_already_wrote_renders_the_section_without_a_lock(host):
    comment_id_from(post_comment(host.test_client(), "first-report"))
    for key in ("first-report", "never-commented"):
        response = host.test_client().get(f"/flushed/{key}")
        assert response.status_code == 200, response.text
        assert "database is locked" not in response.text and 'name="forum_ticket"' in response.text
    assert host_users(host) == []


def test_rendering_creates_no_thread_and_the_first_post_makes_it_from_the_form(host):
    client = host.test_client()
    page = client.get("/titled/field-diary/Field%20diary")
    assert page.status_code == 200 and "No comments yet." in page.text and 'name="body"' in page.text
    assert threads_stored(host) == {}
    response = client.post(
        "/forum/threads/field-diary/comments",
        data={**form_fields(page.text), "author_name": "Mali", "body": "the first words"},
    )
    comment_id = comment_id_from(response)
    assert response.headers["Location"] == f"/titled/field-diary/Field%20diary#comment-{comment_id}"
    assert threads_stored(host) == {"field-diary": ("Field diary", "/titled/field-diary/Field diary")}


def test_a_new_title_is_kept_only_when_the_next_post_is_made(host):
    client = host.test_client()
    first = client.get("/titled/field-diary/Old%20title").text
    comment_id_from(
        client.post(
            "/forum/threads/field-diary/comments", data={**form_fields(first), "author_name": "Mali", "body": "first"}
        )
    )
    renamed = client.get("/titled/field-diary/New%20title").text
    assert threads_stored(host)["field-diary"][0] == "Old title"
    comment_id_from(
        client.post(
            "/forum/threads/field-diary/comments",
            data={**form_fields(renamed), "author_name": "Mali", "body": "second"},
        )
    )
    assert threads_stored(host)["field-diary"] == ("New title", "/titled/field-diary/New title")
