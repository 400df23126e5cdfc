"""Abuse and bad input: CSRF everywhere, bot traps, rate limits, redirects,
headers, malformed requests, privacy. Each refusal is a 4xx with a message
and stores nothing."""

from __future__ import annotations

import re
import time
from unittest import mock

import pytest
from flask import render_template_string
from sqlalchemy import func, select, update
from werkzeug.middleware.proxy_fix import ProxyFix

from forum_plugin.models import Comment, Flag, Thread, utcnow

from . import hostapp
from .conftest import (
    add_users,
    comment_id_from,
    csrf_token,
    form_fields,
    issue_ticket,
    log_in,
    post_comment,
    stored_comments,
)

SCRIPTS = "ภาษาไทย မြန်မာဘာသာ ភាសាខ្មែរ 中文评论 👩🏽‍💻🙏"


def token_for(client, path: str = "/posts/first-report") -> str:
    return csrf_token(client.get(path).text)


def fields_for(client, path: str = "/posts/first-report", **environ) -> dict[str, str]:
    """The hidden fields of the comment form on ``path``: CSRF token and ticket."""
    return form_fields(client.get(path, **environ).text)


# -- CSRF --------------------------------------------------------------------


def test_every_post_without_a_token_is_refused_and_changes_nothing(app):
    users = add_users(app)
    comment_id = comment_id_from(post_comment(app.test_client(), body="still pending"))
    # Reports are for published comments: a pending one is "no comment" to a reader.
    published_id = comment_id_from(post_comment(app.test_client(), body="published"))
    with app.app_context():
        hostapp.db.session.execute(update(Comment).where(Comment.id == published_id).values(status="approved"))
        hostapp.db.session.commit()
    moderator = app.test_client()
    log_in(moderator, users["moderator"])
    moderator.get("/forum/moderation/")  # a session exists, without a token in the form
    reader = app.test_client()
    reader.get("/posts/first-report")
    paths = {
        reader: ["/forum/threads/first-report/comments", f"/forum/comments/{published_id}/report"],
        moderator: [
            f"/forum/moderation/comments/{comment_id}/approve",
            f"/forum/moderation/comments/{comment_id}/edit",
            f"/forum/moderation/comments/{comment_id}/ban",
            "/forum/moderation/bulk",
            "/forum/moderation/bans",
            "/forum/moderation/bans/1/delete",
            "/forum/moderation/words",
            "/forum/moderation/words/1/delete",
        ],
    }
    ticket = form_fields(reader.get("/posts/first-report").text)["forum_ticket"]
    data = {
        "forum_ticket": ticket,
        "body": "x",
        "author_name": "A",
        "ids": str(comment_id),
        "action": "approve",
        "kind": "email",
        "value": "a@b.example",
        "list": "banned",
        "word": "x",
        "reason": "spam",
    }
    for client, routes in paths.items():
        for path in routes:
            for token in (None, "forged-token"):
                sent = dict(data, **({"csrf_token": token} if token else {}))
                response = client.post(path, data=sent)
                assert response.status_code == 400, path
                assert "nothing was saved" in response.text or "not sent from this site" in response.text, path
    with app.app_context():
        comment = hostapp.db.session.get(Comment, comment_id)
        assert comment.status == "pending" and comment.body_markdown == "still pending"
        assert hostapp.db.session.scalar(select(func.count()).select_from(Flag)) == 0
    assert stored_comments(app) == 2


@pytest.mark.parametrize(
    "path",
    [
        "/forum/threads/first-report/comments",
        "/forum/comments/1/report",
        "/forum/moderation/bulk",
        "/forum/moderation/comments/1/approve",
        "/forum/moderation/bans/1/delete",
    ],
)
def test_state_changes_refuse_get(app, path):
    assert app.test_client().get(path).status_code == 405


# -- bots --------------------------------------------------------------------


def test_the_honeypot_refuses_robots(app):
    response = post_comment(app.test_client(), website="http://spam.example", body="cheap pills")
    assert response.status_code == 400 and "looks automated" in response.text
    assert stored_comments(app) == 0
    page = app.test_client().get("/posts/first-report").text
    assert 'class="forum-trap" aria-hidden="true"' in page and 'tabindex="-1"' in page


def test_a_form_sent_too_soon_or_too_late_is_refused_with_the_text_kept(make_app):
    app = make_app(FORUM_FORM_MIN_SECONDS=2, WTF_CSRF_TIME_LIMIT=None)
    client = app.test_client()
    hasty = post_comment(client, body="typed in no time")
    assert hasty.status_code == 400 and "That was quick" in hasty.text and "typed in no time" in hasty.text
    assert stored_comments(app) == 0

    def served_ago(seconds: float) -> str:
        real = time.time
        with mock.patch("itsdangerous.timed.time.time", lambda: real() - seconds):
            return fields_for(client)

    on_time = client.post(
        "/forum/threads/first-report/comments",
        data={**served_ago(3), "author_name": "Mali", "body": "considered reply"},
    )
    assert on_time.status_code == 303
    stale = client.post(
        "/forum/threads/first-report/comments",
        data={**served_ago(3 * 3600), "author_name": "Mali", "body": "from this morning"},
    )
    assert stale.status_code == 400 and "more than 2 hours ago" in stale.text and "from this morning" in stale.text
    assert stored_comments(app) == 1


def test_moderators_are_not_timed(make_app):
    app = make_app(FORUM_FORM_MIN_SECONDS=2)
    moderator = app.test_client()
    log_in(moderator, add_users(app)["moderator"])
    assert post_comment(moderator, body="quick note from the desk").status_code == 303


# -- rate limits ---------------------------------------------------------------


def post_from(app, address: str, body: str, headers=None):
    client = app.test_client()
    fields = fields_for(client, environ_base={"REMOTE_ADDR": address})
    return client.post(
        "/forum/threads/first-report/comments",
        headers=headers or {},
        data={**fields, "author_name": "R", "body": body},
        environ_base={"REMOTE_ADDR": address},
    )


def test_posting_is_rate_limited_per_address_with_a_429_page(make_app):
    app = make_app(FORUM_RATELIMIT="2/minute")
    assert [post_from(app, "198.51.100.7", f"note {n}").status_code for n in range(2)] == [303, 303]
    third = post_from(app, "198.51.100.7", "one too many")
    assert third.status_code == 429 and "faster than this site allows (2/minute)" in third.text
    assert post_from(app, "198.51.100.8", "someone else").status_code == 303
    assert stored_comments(app) == 3


def test_forwarded_for_counts_only_behind_a_declared_proxy(make_app):
    app = make_app(FORUM_RATELIMIT="1/minute")
    assert post_from(app, "10.0.0.1", "a", {"X-Forwarded-For": "203.0.113.1"}).status_code == 303
    # Without ProxyFix the header is the client's say-so: the address is still 10.0.0.1.
    assert post_from(app, "10.0.0.1", "b", {"X-Forwarded-For": "203.0.113.2"}).status_code == 429
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)
    assert post_from(app, "10.0.0.1", "c", {"X-Forwarded-For": "203.0.113.3"}).status_code == 303


def test_reports_are_rate_limited_and_moderators_are_exempt(make_app):
    app = make_app(FORUM_RATELIMIT="1/minute", FORUM_MODERATION="post")
    users = add_users(app)
    moderator = app.test_client()
    log_in(moderator, users["moderator"])
    ids = [comment_id_from(post_comment(moderator, body=f"published {n}")) for n in range(3)]
    reader = app.test_client()
    token = token_for(reader)
    first = reader.post(f"/forum/comments/{ids[0]}/report", data={"csrf_token": token, "reason": "spam"})
    second = reader.post(f"/forum/comments/{ids[1]}/report", data={"csrf_token": token, "reason": "spam"})
    assert (first.status_code, second.status_code) == (200, 429)


# -- redirects -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/x",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "http://localhost.evil.example/",
    ],
)
def test_after_posting_the_redirect_never_leaves_the_site(app, url):
    client = app.test_client()
    fields = {"csrf_token": token_for(client), "forum_ticket": issue_ticket(app, "elsewhere", "Elsewhere", url)}
    response = client.post("/forum/threads/elsewhere/comments", data={**fields, "author_name": "A", "body": "x"})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/forum/threads/elsewhere#comment-")


def test_a_same_site_absolute_url_is_kept_as_a_path(app):
    client = app.test_client()
    ticket = issue_ticket(app, "absolute", "Absolute", "http://localhost/posts/absolute?x=1")
    response = client.post(
        "/forum/threads/absolute/comments",
        data={"csrf_token": token_for(client), "forum_ticket": ticket, "author_name": "A", "body": "x"},
    )
    assert response.headers["Location"].startswith("/posts/absolute?x=1#comment-")


# -- headers ---------------------------------------------------------------------


def test_the_forums_pages_refuse_framing_and_inline_script(app):
    users = add_users(app)
    comment_id_from(post_comment(app.test_client()))
    moderator = app.test_client()
    log_in(moderator, users["moderator"])
    for client, path in (
        (moderator, "/forum/moderation/"),
        (moderator, "/forum/moderation/log"),
        (app.test_client(), "/forum/threads/first-report"),
    ):
        response = client.get(path)
        policy = response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert response.headers["Referrer-Policy"] == "same-origin"
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", response.text, re.S)
        assert all(
            re.fullmatch(r' src="/forum/static/[\w-]+\.js" defer', attrs) and body == "" for attrs, body in scripts
        )


# -- bad input -------------------------------------------------------------------


def test_a_request_over_the_size_limits_is_413(make_app):
    app = make_app(MAX_CONTENT_LENGTH=2000)
    big = post_comment(app.test_client(), body="x" * 3000)
    assert big.status_code == 413 and "Request Entity Too Large" in big.text
    own_cap = make_app(FORUM_MAX_LENGTH=10)
    huge = post_comment(own_cap.test_client(), body="y" * 200_000)
    assert huge.status_code == 413
    assert stored_comments(own_cap) == 0


@pytest.mark.parametrize("field", ["body", "author_name"])
def test_nul_characters_are_refused(app, field):
    response = post_comment(app.test_client(), **{field: "before\x00after"})
    assert response.status_code == 400 and "NUL character" in response.text
    assert stored_comments(app) == 0


def test_invalid_utf8_is_refused(app):
    client = app.test_client()
    token = token_for(client)
    raw = f"csrf_token={token}&author_name=A&body=%FF%FEbroken".encode()
    response = client.post(
        "/forum/threads/first-report/comments", data=raw, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400 and "not UTF-8" in response.text
    assert stored_comments(app) == 0


def test_nul_in_the_address_is_refused(app):
    users = add_users(app)
    moderator = app.test_client()
    log_in(moderator, users["moderator"])
    assert moderator.get("/forum/moderation/?q=%00").status_code == 400
    assert app.test_client().get("/forum/threads/a%00b").status_code == 400


def test_bidi_overrides_and_zero_width_characters_leave_names(app):
    comment_id = comment_id_from(post_comment(app.test_client(), author_name="\u202eAdmin\u200b\u2066 Mali\ufeff"))
    with app.app_context():
        assert hostapp.db.session.get(Comment, comment_id).author_name == "Admin Mali"


def test_scripts_and_emoji_round_trip_byte_for_byte(make_app):
    app = make_app(FORUM_MODERATION="post")
    client = app.test_client()
    comment_id = comment_id_from(post_comment(client, author_name="ผู้อ่าน 读者", body=SCRIPTS))
    with app.app_context():
        comment = hostapp.db.session.get(Comment, comment_id)
        assert comment.body_markdown.encode() == SCRIPTS.encode() and comment.author_name == "ผู้อ่าน 读者"
    assert f"<p>{SCRIPTS}</p>" in client.get("/posts/first-report").text


@pytest.mark.parametrize("key", ["notes/2026/field report", "ข่าว-ชายแดน", "key with spaces", "a" * 255])
def test_unusual_thread_keys_work_end_to_end(app, key):
    from urllib.parse import quote

    client = app.test_client()
    fields = {"csrf_token": token_for(client), "forum_ticket": issue_ticket(app, key)}
    response = client.post(
        f"/forum/threads/{quote(key)}/comments", data={**fields, "author_name": "A", "body": "on an odd key"}
    )
    comment_id = comment_id_from(response)
    page = client.get(f"/forum/threads/{quote(key)}").text
    assert f'id="comment-{comment_id}"' in page
    with app.app_context():
        assert hostapp.db.session.scalar(select(Thread.key).where(Thread.key == key)) == key


def test_a_key_too_long_gets_no_form_and_a_post_to_it_is_a_clear_400(app):
    app.add_url_rule("/odd", "odd", lambda: render_template_string("{{ forum_comments('x' * 300) }}"))
    client = app.test_client()
    host_page = client.get("/odd")
    assert host_page.status_code == 200 and "Comments are not available on this page." in host_page.text
    assert 'name="forum_ticket"' not in host_page.text
    response = client.post(
        f"/forum/threads/{'k' * 300}/comments",
        data={"csrf_token": token_for(client), "author_name": "A", "body": "kept words"},
    )
    assert response.status_code == 400 and "nothing was saved" in response.text and "kept words" in response.text
    assert stored_comments(app) == 0


def test_keys_may_be_numbers(app):
    app.add_url_rule(
        "/numbered",
        "numbered",
        lambda: render_template_string(
            "{{ forum_comments(42, title='Post 42') }}|{{ forum_comment_counts([42, 43])[42] }}"
        ),
    )
    assert "0 comments" in app.test_client().get("/numbered").text


def test_duplicates_compare_the_exact_text_on_every_database(app):
    client = app.test_client()
    assert post_comment(client, body="Hello there").status_code == 303
    assert post_comment(client, body="hello there").status_code == 303
    again = post_comment(client, body="Hello there")
    assert again.status_code == 400 and "already posted this comment" in again.text


# -- privacy ---------------------------------------------------------------------


def test_purge_clears_old_address_hashes(make_app):
    app = make_app(FORUM_MODERATION="post", FORUM_IP_RETENTION_DAYS=30)
    old = comment_id_from(post_comment(app.test_client(), body="old"))
    new = comment_id_from(post_comment(app.test_client(), body="new"))
    reader = app.test_client()
    reader.post(f"/forum/comments/{old}/report", data={"csrf_token": token_for(reader), "reason": "spam"})
    with app.app_context():
        session = hostapp.db.session
        session.execute(update(Comment).where(Comment.id == old).values(created_at=utcnow().replace(year=2020)))
        session.execute(update(Flag).values(created_at=utcnow().replace(year=2020)))
        session.commit()
    result = app.test_cli_runner().invoke(args=["forum", "purge"])
    assert (
        result.exit_code == 0
        and "Cleared the IP hashes of 1 comments and 1 reports older than 30 days" in result.output
    )
    with app.app_context():
        session = hostapp.db.session
        assert session.get(Comment, old).ip_hash is None and session.get(Comment, new).ip_hash
        assert session.scalar(select(Flag.reporter)).startswith("purged:")
