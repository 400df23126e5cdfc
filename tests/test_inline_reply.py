"""Replies open under their comment and post without a page load; with
JavaScript off the same forms work as plain pages."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum_plugin.models import Comment

from . import hostapp
from .browser import chromium, keep_on_origin, live_server
from .conftest import comment_id_from, form_fields, post_comment


def test_the_script_gets_json_and_errors_as_json(app):
    client = app.test_client()
    fields = form_fields(client.get("/posts/first-report").text)
    headers = {"Accept": "application/json"}
    made = client.post(
        "/forum/threads/first-report/comments",
        headers=headers,
        data={**fields, "author_name": "Mali", "body": "via *fetch*"},
    )
    assert made.status_code == 201
    data = made.get_json()
    assert data["html"] == "<p>via <em>fetch</em></p>" and data["status"] == "pending"
    assert "awaiting moderation" in data["notice"] and "email" not in data
    fields = form_fields(client.get("/posts/first-report").text)
    refused = client.post(
        "/forum/threads/first-report/comments", headers=headers, data={**fields, "author_name": "", "body": " "}
    )
    assert refused.status_code == 400
    assert "Please write a comment" in refused.get_json()["errors"]["body"][0]
    expired = client.post("/forum/threads/first-report/comments", headers=headers, data={"body": "x"})
    assert expired.status_code == 400 and "nothing was saved" in expired.get_json()["error"]


def test_the_section_loads_one_static_script_and_no_inline_one(app):
    page = app.test_client().get("/posts/first-report").text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts == [(' src="/forum/static/forum.js" defer', "")]
    with app.test_client().get("/forum/static/forum.js") as script:
        assert script.status_code == 200 and b"data-forum-reply" in script.data


@pytest.mark.browser
def test_an_inline_reply_posts_without_leaving_the_page(make_app):
    app = make_app(FORUM_MODERATION="post")
    parent = comment_id_from(post_comment(app.test_client(), author_name="Nok", body="Is there a list of needs?"))
    with live_server(app) as server, chromium() as browser:
        context = browser.new_context()
        strays = keep_on_origin(context, server)
        page = context.new_page()
        page.goto(f"{server.url}/posts/first-report", wait_until="load")
        page.click(f'[data-forum-reply="{parent}"]')
        assert page.locator("#comment-form").evaluate("form => form.previousElementSibling.id") == f"comment-{parent}"
        assert page.locator(".forum-form-title").inner_text() == "Reply to Nok"
        page.fill("#author_name", "Sophea")
        page.fill("#body", "Rice, blankets and **school books**.")
        page.click("#comment-form button[type=submit]")
        reply = page.locator(f'article[data-parent="{parent}"]')
        reply.wait_for(timeout=10_000)
        assert page.url == f"{server.url}/posts/first-report"  # no navigation
        assert "school books" in reply.inner_text()
        assert page.locator("[data-forum-live]").inner_text() == "Your comment is published."
        assert strays == []
        context.close()
    with app.app_context():
        stored = hostapp.db.session.scalars(select(Comment).where(Comment.parent_id == parent)).one()
    assert (stored.author_name, stored.body_html) == (
        "Sophea",
        "<p>Rice, blankets and <strong>school books</strong>.</p>",
    )


@pytest.mark.browser
def test_with_javascript_off_the_reply_link_and_form_still_work(app):
    parent = comment_id_from(post_comment(app.test_client(), body="A question"))
    with app.app_context():
        hostapp.db.session.get(Comment, parent).status = "approved"
        hostapp.db.session.commit()
    with live_server(app) as server, chromium() as browser:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{server.url}/posts/first-report", wait_until="load")
        page.click(f'[data-forum-reply="{parent}"]')
        assert "reply_to=" in page.url and page.locator(".forum-form-title").inner_text().startswith("Reply to")
        page.fill("#author_name", "Dara")
        page.fill("#body", "An answer without scripts")
        page.click("#comment-form button[type=submit]")
        page.wait_for_load_state("load")
        assert "#comment-" in page.url
        assert "awaiting moderation" in page.content()
        context.close()
