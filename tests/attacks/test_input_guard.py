"""Attacks on the forum's input guard, on a host that reads the form before
the forum does (a global CSRFProtect, or its own before_request).

- NUL characters (raw or percent-encoded) in any forum POST — a comment body,
  an author's edit, a report's details, a ban's reason, a word list, a
  moderator's edit: 400 with the forum's message, nothing stored (on
  PostgreSQL a NUL would be a 500).
- Bytes that are not UTF-8 in those fields: 400, never stored as U+FFFD or
  "%FF".
- The same in multipart bodies: in a value, a field name, a filename.
- The same in JSON bodies.
- 100 MB sent to the forum, with a Content-Length or chunked: 413 before the
  body is read (at most the cap is read of a chunked one).
- Meanwhile a full-length comment in four-byte characters still fits, and
  the host's own routes get their bodies untouched.
"""

from __future__ import annotations

import html
import io
import json
import re
from urllib.parse import urlencode

import pytest
from flask import request
from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder

from forum_plugin.models import Ban, Comment, Flag, Word

from .. import hostapp
from ..conftest import add_users, comment_id_from, csrf_token, log_in, post_comment, stored_comments

NUL_MESSAGE = "NUL character"
NOT_UTF8_MESSAGE = "not UTF-8"
# What a comment can need (FORUM_MAX_LENGTH 10,000 at 12 bytes each, plus 64 KiB).
CAP = 10_000 * 12 + 64 * 1024


def reads_the_form_first(app) -> None:
    @app.before_request
    def peek_at_the_form():
        request.form.get("anything")
        request.get_json(silent=True)


@pytest.fixture(params=["csrfprotect", "before_request"])
def site(request, make_app):
    """A host whose own code parses every request's form before the forum sees it."""
    app = make_app(csrf_protect=request.param == "csrfprotect", FORUM_MODERATION="post")
    if request.param == "before_request":
        reads_the_form_first(app)
    return app


@pytest.fixture
def actors(site):
    users = add_users(site)
    moderator = site.test_client()
    log_in(moderator, users["moderator"])
    author = site.test_client()
    comment_id = comment_id_from(post_comment(author, body="the original text"))
    return {"moderator": moderator, "author": author, "reader": site.test_client(), "comment": comment_id}


def token(client) -> str:
    return csrf_token(client.get("/posts/first-report").text)


def every_forum_post(actors):
    """Each forum POST as (client, path, its other fields, the field that carries the attack)."""
    comment_id = actors["comment"]
    moderator, author, reader = actors["moderator"], actors["author"], actors["reader"]
    return [
        (reader, "/forum/threads/first-report/comments", {"author_name": "A", "body": "x"}, "body"),
        (reader, "/forum/threads/first-report/comments", {"author_name": "A", "body": "x"}, "author_name"),
        (author, f"/forum/comments/{comment_id}/edit", {"body": "x"}, "body"),
        (reader, f"/forum/comments/{comment_id}/report", {"reason": "other", "details": "x"}, "details"),
        (moderator, f"/forum/moderation/comments/{comment_id}/ban", {"kind": "email", "reason": "x"}, "reason"),
        (moderator, "/forum/moderation/bans", {"kind": "email", "value": "a@b.example", "reason": "x"}, "reason"),
        (moderator, "/forum/moderation/words", {"list": "banned", "word": "x"}, "word"),
        (moderator, f"/forum/moderation/comments/{comment_id}/edit", {"body": "x"}, "body"),
    ]


def nothing_changed(app, comment_id: int) -> None:
    with app.app_context():
        session = hostapp.db.session
        assert session.get(Comment, comment_id).body_markdown == "the original text"
        assert session.scalar(select(func.count()).select_from(Comment)) == 1
        for model in (Ban, Word, Flag):
            assert session.scalar(select(func.count()).select_from(model)) == 0, model


URLENCODED_ATTACKS = [
    (b"before%00after", NUL_MESSAGE),
    (b"before\x00after", NUL_MESSAGE),
    (b"%FF%FEbroken", NOT_UTF8_MESSAGE),
    (b"\xff\xfebroken", NOT_UTF8_MESSAGE),
    (b"half %E0%B8 a Thai letter", NOT_UTF8_MESSAGE),
]


@pytest.mark.parametrize("payload, message", URLENCODED_ATTACKS)
def test_nul_and_broken_utf8_in_any_forum_form_are_refused_though_the_host_read_it_first(
    site, actors, payload, message
):
    for client, path, fields, target in every_forum_post(actors):
        fields = dict(fields, csrf_token=token(client))
        fields.pop(target)
        body = urlencode(fields).encode() + b"&" + target.encode() + b"=" + payload
        response = client.post(path, data=body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 400, (path, target, response.status_code)
        assert message in response.text and 'class="forum-error"' in response.text, (path, target)
    nothing_changed(site, actors["comment"])


def multipart(fields: dict[str, str], raw_part: bytes, boundary: str = "forumguard") -> bytes:
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    return b"".join(parts) + f"--{boundary}\r\n".encode() + raw_part + f"\r\n--{boundary}--\r\n".encode()


MULTIPART_ATTACKS = [
    (b'Content-Disposition: form-data; name="body"\r\n\r\nbefore\x00after', NUL_MESSAGE),
    (b'Content-Disposition: form-data; name="body"\r\n\r\n\xff\xfebroken', NOT_UTF8_MESSAGE),
    (b"Content-Disposition: form-data; name*=UTF-8''bo%00dy\r\n\r\ntext", NUL_MESSAGE),
    (b"Content-Disposition: form-data; name*=UTF-8''bo%FFdy\r\n\r\ntext", NOT_UTF8_MESSAGE),
    (b'Content-Disposition: form-data; name="b\xffody"\r\n\r\ntext', NOT_UTF8_MESSAGE),
    (b'Content-Disposition: form-data; name="file"; filename="a\x00b.txt"\r\n\r\ntext', NUL_MESSAGE),
    (b"Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''a%FF.txt\r\n\r\ntext", NOT_UTF8_MESSAGE),
]


@pytest.mark.parametrize("raw_part, message", MULTIPART_ATTACKS)
def test_multipart_bodies_are_checked_part_by_part(site, actors, raw_part, message):
    reader = actors["reader"]
    body = multipart({"csrf_token": token(reader), "author_name": "A"}, raw_part)
    response = reader.post(
        "/forum/threads/first-report/comments", data=body, content_type="multipart/form-data; boundary=forumguard"
    )
    assert response.status_code == 400 and message in response.text
    nothing_changed(site, actors["comment"])


def test_a_clean_multipart_comment_is_accepted(site, actors):
    response = post_comment_as_multipart(actors["reader"], "ข้อความ sent as multipart")
    assert response.status_code == 303, response.text
    with site.app_context():
        assert (
            hostapp.db.session.scalar(
                select(func.count()).select_from(Comment).where(Comment.body_markdown == "ข้อความ sent as multipart")
            )
            == 1
        )


def hidden_fields(page: str) -> dict[str, str]:
    """The hidden inputs of the page's comment form, whatever order their attributes come in."""
    form = re.search(r'<form id="comment-form".*?</form>', page, re.S).group(0)
    inputs = [dict(re.findall(r'([\w-]+)="([^"]*)"', tag)) for tag in re.findall(r"<input[^>]*>", form)]
    return {i["name"]: html.unescape(i.get("value", "")) for i in inputs if i.get("type") == "hidden"}


def post_comment_as_multipart(client, text: str):
    """Submit the rendered form, every field it holds, as multipart/form-data."""
    fields = hidden_fields(client.get("/posts/first-report").text)
    fields.update(author_name="Multi", body=text)
    return client.post("/forum/threads/first-report/comments", data=fields, content_type="multipart/form-data")


MALFORMED_MESSAGE = "could not be read"


@pytest.mark.parametrize(
    "body, message",
    [
        (json.dumps({"body": "before\u0000after"}).encode(), NUL_MESSAGE),
        (b'{"body": "\xff\xfe"}', NOT_UTF8_MESSAGE),
        (b'{"body": "\\ud800 a lone surrogate"}', NOT_UTF8_MESSAGE),
        # Shapes no form sends, which would reach a form field as a number, a list, or nothing at all.
        (json.dumps({"nested": [{"before\u0000after": 1}]}).encode(), MALFORMED_MESSAGE),
        (json.dumps({"body": 123, "author_name": "A"}).encode(), MALFORMED_MESSAGE),
        (json.dumps({"body": "ok", "author_name": 5}).encode(), MALFORMED_MESSAGE),
        (json.dumps({"body": "ok", "author_email": 7}).encode(), MALFORMED_MESSAGE),
        (json.dumps({"body": None}).encode(), MALFORMED_MESSAGE),
        (b'"just a string"', MALFORMED_MESSAGE),
        (b"5", MALFORMED_MESSAGE),
        (b"true", MALFORMED_MESSAGE),
        (b"[1, 2]", MALFORMED_MESSAGE),
    ],
)
def test_json_bodies_must_read_as_a_form_of_unicode_text(site, actors, body, message):
    response = actors["reader"].post("/forum/threads/first-report/comments", data=body, content_type="application/json")
    assert response.status_code == 400 and message in response.text
    nothing_changed(site, actors["comment"])


@pytest.mark.parametrize("case", range(8))
def test_a_lone_surrogate_in_any_forum_forms_json_is_refused(site, actors, case):
    client, path, fields, target = every_forum_post(actors)[case]
    page = client.get("/posts/first-report").text
    fields = {**fields, target: "before \ud800 after", "csrf_token": csrf_token(page)}
    response = client.post(
        path, data=json.dumps(fields), content_type="application/json", headers={"X-CSRFToken": fields["csrf_token"]}
    )
    assert response.status_code == 400 and NOT_UTF8_MESSAGE in response.text, path
    nothing_changed(site, actors["comment"])


class Endless(io.RawIOBase):
    """An upload that never ends, counting what the server reads of it."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"a" * len(buffer)
        self.given += len(buffer)
        return len(buffer)


def send_stream(app, stream, **environ):
    """POST ``stream`` to the comment route as a WSGI server would hand it over."""
    request_environ = EnvironBuilder(
        path="/forum/threads/first-report/comments", method="POST", content_type="application/x-www-form-urlencoded"
    ).get_environ()
    request_environ.update(environ, **{"wsgi.input": stream})
    return app.response_class.from_app(app, request_environ, buffered=True)


def test_a_huge_declared_body_is_413_before_a_byte_is_read(site):
    stream = Endless()
    response = send_stream(site, stream, CONTENT_LENGTH=str(100_000_000))
    assert response.status_code == 413 and 'class="forum-error"' in response.get_data(as_text=True)
    assert stream.given == 0
    assert stored_comments(site) == 0


def test_a_huge_chunked_body_is_413_after_reading_no_more_than_the_cap(site):
    stream = Endless()
    response = send_stream(
        site, stream, HTTP_TRANSFER_ENCODING="chunked", CONTENT_LENGTH="", **{"wsgi.input_terminated": True}
    )
    assert response.status_code == 413 and 'class="forum-error"' in response.get_data(as_text=True)
    assert CAP < stream.given <= CAP + 64 * 1024
    assert stored_comments(site) == 0


def test_a_full_length_comment_of_four_byte_characters_fits_under_the_cap(site):
    body = "🙏" * 10_000
    response = post_comment(site.test_client(), body=body)
    assert response.status_code == 303
    with site.app_context():
        assert hostapp.db.session.scalar(select(Comment.body_markdown).order_by(Comment.id.desc())) == body


def test_the_hosts_own_routes_get_their_bodies_untouched(make_app):
    app = make_app()
    app.add_url_rule("/upload", "upload", lambda: str(len(request.get_data())), methods=["POST"])
    big = b"\x00\xff" * 500_000
    response = app.test_client().post("/upload", data=big, content_type="application/octet-stream")
    assert response.status_code == 200 and response.text == str(len(big))
