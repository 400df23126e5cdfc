"""Attacks on the forum's rate limits.

- Rotating addresses inside one IPv6 /64 (which one subscriber holds) to
  post past the limit: the whole /64 is one client.
- Writing an IPv4 address as IPv4-mapped IPv6 (::ffff:a.b.c.d) to start a new
  count: it counts as the IPv4 address.
- Reporting from many addresses of one /64: the same.
- A ban or duplicate check by address, dodged by moving inside the /64: the
  address hash covers the /64.
- Hammering until refused: a 429 with the forum's message, Retry-After, and
  JSON for the forum's script; nothing stored.
- A host that switches its own Flask-Limiter off (RATELIMIT_ENABLED=False) or
  points it elsewhere: the forum's limits still hold, in the forum's storage.
"""

from __future__ import annotations

import secrets
import socket

import pytest

from forum_plugin.privacy import address_group, hash_ip

from ..conftest import add_users, comment_id_from, csrf_token, log_in, post_comment, skip_or_fail, stored_comments


def a_fresh_64() -> str:
    """A /64 of the documentation range nobody else's test uses (Redis is shared)."""
    return f"2001:db8:{secrets.randbelow(65536):x}:{secrets.randbelow(65536):x}"


def post_from(app, address: str, body: str, accept: str | None = None):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if accept:
        client.environ_base["HTTP_ACCEPT"] = accept
    return post_comment(client, body=body)


def test_rotating_addresses_inside_one_ipv6_64_shares_one_limit(make_app):
    app = make_app(FORUM_RATELIMIT="2/minute")
    network = a_fresh_64()
    answers = [post_from(app, f"{network}::{n + 1:x}", f"from host {n}").status_code for n in range(3)]
    assert answers == [303, 303, 429]
    assert post_from(app, f"{a_fresh_64()}::1", "a neighbour elsewhere").status_code == 303
    assert stored_comments(app) == 3


def test_an_ipv4_address_written_as_mapped_ipv6_counts_as_itself(make_app):
    app = make_app(FORUM_RATELIMIT="1/minute")
    assert post_from(app, "198.51.100.23", "plain").status_code == 303
    assert post_from(app, "::ffff:198.51.100.23", "mapped").status_code == 429
    assert post_from(app, "::ffff:c633:6417", "mapped, in hex").status_code == 429


def test_ipv4_neighbours_are_counted_apart(make_app):
    app = make_app(FORUM_RATELIMIT="1/minute")
    assert post_from(app, "198.51.100.30", "one").status_code == 303
    assert post_from(app, "198.51.100.31", "next door").status_code == 303


def test_reports_from_one_64_share_one_limit(make_app):
    app = make_app(FORUM_RATELIMIT="1/minute", FORUM_MODERATION="post")
    moderator = app.test_client()
    log_in(moderator, add_users(app)["moderator"])
    ids = [comment_id_from(post_comment(moderator, body=f"published {n}")) for n in range(2)]
    network = a_fresh_64()
    answers = []
    for n, comment_id in enumerate(ids):
        reader = app.test_client()
        reader.environ_base["REMOTE_ADDR"] = f"{network}::{n + 7:x}"
        token = csrf_token(reader.get("/posts/first-report").text)
        answers.append(
            reader.post(
                f"/forum/comments/{comment_id}/report", data={"csrf_token": token, "reason": "spam"}
            ).status_code
        )
    assert answers == [200, 429]


def test_the_address_hash_covers_the_64_and_ipv4_mapped_addresses():
    secret = "site secret"
    assert hash_ip(secret, "2001:db8:1:2::1") == hash_ip(secret, "2001:db8:1:2:ffff:ffff:ffff:ffff")
    assert hash_ip(secret, "2001:db8:1:2::1") != hash_ip(secret, "2001:db8:1:3::1")
    assert hash_ip(secret, "::ffff:192.0.2.1") == hash_ip(secret, "192.0.2.1")
    assert hash_ip(secret, "192.0.2.1") != hash_ip(secret, "192.0.2.2")
    assert address_group("2001:DB8:1:2:0:0:0:9") == "2001:db8:1:2::/64"
    assert address_group("::ffff:192.0.2.1") == "192.0.2.1"
    assert address_group("not an address") == "not an address" and address_group(None) is None


def test_a_client_over_the_limit_gets_the_forums_429_with_retry_after_and_stores_nothing(make_app):
    app = make_app(FORUM_RATELIMIT="1/minute", csrf_protect=True)
    address = "203.0.113.77"
    assert post_from(app, address, "first").status_code == 303
    refused = post_from(app, address, "second")
    assert refused.status_code == 429 and 'class="forum-error"' in refused.text
    assert "faster than this site allows (1/minute)" in refused.text
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    as_json = post_from(app, address, "third", accept="application/json")
    assert as_json.status_code == 429 and "faster than this site allows" in as_json.json["error"]
    assert as_json.headers["Retry-After"]
    assert stored_comments(app) == 1


@pytest.mark.parametrize(
    "host_setting",
    [
        {"RATELIMIT_ENABLED": False},
        {"RATELIMIT_STORAGE_URI": "memory://"},
        {"RATELIMIT_DEFAULT": "1000/second"},
        {"RATELIMIT_APPLICATION": "9/hour"},
    ],
)
def test_the_hosts_ratelimit_settings_neither_loosen_nor_move_the_forums_limits(make_app, host_setting):
    app = make_app(FORUM_RATELIMIT="1/minute", **host_setting)
    assert post_from(app, "203.0.113.90", "first").status_code == 303
    assert post_from(app, "203.0.113.90", "second").status_code == 429


def redis_available() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def test_workers_sharing_redis_share_the_count_for_a_64(make_app, db_url):
    if not redis_available():
        skip_or_fail("no Redis on 127.0.0.1:6379")
    from .. import hostapp

    shared = {"FORUM_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379", "FORUM_RATELIMIT": "2/minute"}
    first_worker = make_app(**shared)
    second_worker = hostapp.create_app(db_url, **shared)
    network = a_fresh_64()
    assert post_from(first_worker, f"{network}::1", "one").status_code == 303
    assert post_from(second_worker, f"{network}::2", "two").status_code == 303
    assert post_from(first_worker, f"{network}::3", "three").status_code == 429
    with second_worker.app_context():
        hostapp.db.engine.dispose()
