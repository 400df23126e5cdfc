"""Pictures beside authors' names: off by default, identicons or Gravatar when asked."""

from __future__ import annotations

import hashlib
import re

from forum_plugin.avatars import identicon

from .conftest import comment_id_from, post_comment


def pictures(html: str) -> list[str]:
    return re.findall(r'<img class="forum-avatar" src="([^"]+)"', html)


def test_no_pictures_unless_the_host_asks(make_app):
    app = make_app(FORUM_MODERATION="post")
    comment_id_from(post_comment(app.test_client()))
    assert pictures(app.test_client().get("/posts/first-report").text) == []


def test_identicons_follow_the_author_and_reveal_nothing(make_app):
    app = make_app(FORUM_MODERATION="post", FORUM_AVATARS="identicon")
    client = app.test_client()
    for n, name in enumerate(("Mali", "Dara", "Mali")):
        comment_id_from(
            post_comment(
                client, author_name=name, author_email=f"{name.lower()}@example.org", body=f"comment {n} by {name}"
            )
        )
    page = client.get("/posts/first-report").text
    first, second, third = pictures(page)
    assert first.startswith("data:image/svg+xml,") and first == third and first != second
    assert "mali@example.org" not in page and hashlib.md5(b"mali@example.org").hexdigest() not in page
    # Keyed with the site's secret: another site cannot draw the same picture for the same person.
    assert identicon("another site", "n:Mali") != identicon("host secret", "n:Mali")


def test_gravatar_pictures_and_the_policy_that_allows_them(make_app):
    app = make_app(FORUM_MODERATION="post", FORUM_AVATARS="gravatar")
    client = app.test_client()
    comment_id_from(post_comment(client, author_name="Mali", author_email="Mali@Example.org "))
    comment_id_from(post_comment(client, author_name="No Email", body="anonymous"))
    page = client.get("/posts/first-report").text
    with_email, without = pictures(page)
    digest = hashlib.md5(b"mali@example.org").hexdigest()
    assert with_email == f"https://www.gravatar.com/avatar/{digest}?s=64&amp;d=identicon"
    assert without.startswith("data:image/svg+xml,")
    assert "Mali@Example.org" not in page and "mali@example.org" not in page
    policy = client.get("/forum/threads/first-report").headers["Content-Security-Policy"]
    assert "img-src https://www.gravatar.com 'self' data:" in policy
