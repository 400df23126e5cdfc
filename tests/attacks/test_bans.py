"""Bans that catch people they were not meant for, and bans nobody can account for.

Attacks and mistakes defended here, on a host with a global CSRFProtect:

- a moderator bans "the author's IP" from a comment sent through an office
  network, a proxy or the demo's loopback address, and blocks everyone behind
  it without knowing: a ban by address first says how many recent comments and
  accounts share it, warns when the address is private, loopback or
  link-local, and bans only on a second POST with ``confirm=1``;
- the same through the ban list's "add by IP" form, which also refuses text
  that is not an IP address;
- a ban or a lift that leaves no trace: each appears in the audit log with
  the moderator, the ban's kind and reason, and never the banned value (an
  email, or the address hash that would link the log to comments).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from forum_plugin.models import Ban, Comment, ModerationEvent

from .. import hostapp
from ..conftest import add_users, comment_id_from, log_in, post_comment, send


@pytest.fixture
def app(make_app):
    return make_app(csrf_protect=True)


@pytest.fixture
def users(app):
    return add_users(app)


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def mark_shared(app, comment_id: int, shared: bool) -> None:
    """What the posting view records from the address (see Comment.ip_private)."""
    with app.app_context():
        hostapp.db.session.execute(update(Comment).where(Comment.id == comment_id).values(ip_private=shared))
        hostapp.db.session.commit()


def bans_in_force(app) -> list[Ban]:
    with app.app_context():
        return hostapp.db.session.scalars(select(Ban)).all()


def ban_events(app) -> list[ModerationEvent]:
    with app.app_context():
        return hostapp.db.session.scalars(
            select(ModerationEvent).where(ModerationEvent.ban_id.is_not(None)).order_by(ModerationEvent.id)
        ).all()


def test_a_ban_by_a_shared_address_is_refused_until_the_moderator_confirms_it(app, users, moderator):
    office = client_at(app, "192.168.1.20")
    comment_id = comment_id_from(post_comment(office, body="from the office"))
    mark_shared(app, comment_id, True)

    first = send(
        moderator,
        f"/forum/moderation/comments/{comment_id}/ban",
        kind="ip",
        reason="flood",
        next="/forum/moderation/?status=pending",
    )
    assert first.status_code == 200
    assert "This address is shared" in first.text and "block everyone behind that address" in first.text
    assert "Nothing has been banned yet" in first.text
    assert 'name="confirm" value="1"' in first.text
    assert bans_in_force(app) == [] and ban_events(app) == []

    confirmed = send(
        moderator,
        f"/forum/moderation/comments/{comment_id}/ban",
        kind="ip",
        reason="flood",
        confirm="1",
        next="/forum/moderation/?status=pending",
    )
    assert confirmed.status_code == 303 and confirmed.headers["Location"] == "/forum/moderation/?status=pending"
    assert [ban.kind for ban in bans_in_force(app)] == ["ip"]


def test_a_ban_by_address_says_how_many_comments_and_accounts_it_would_also_catch(app, users, moderator):
    with app.app_context():
        hostapp.db.session.add(hostapp.User(username="third", email="third@example.org"))
        hostapp.db.session.commit()
        third = hostapp.db.session.scalar(select(hostapp.User.id).where(hostapp.User.username == "third"))
    anonymous, member, other = (client_at(app, "203.0.113.7") for _ in range(3))
    log_in(member, users["reader"])
    log_in(other, third)
    target = comment_id_from(post_comment(anonymous, body="the one to ban"))
    for client, body in ((anonymous, "again"), (member, "a member"), (other, "another member")):
        comment_id_from(post_comment(client, body=body))
    comment_id_from(post_comment(client_at(app, "198.51.100.1"), body="somewhere else"))
    mark_shared(app, target, False)

    page = send(moderator, f"/forum/moderation/comments/{target}/ban", kind="ip")
    assert page.status_code == 200
    assert "In the last 30 days, 4 comments came from this address" in page.text
    assert "written by 2 different signed-in accounts" in page.text
    assert "This address is shared" not in page.text
    assert bans_in_force(app) == []


def test_the_ban_lists_add_by_ip_form_also_asks_and_refuses_what_is_no_address(app, moderator):
    asked = send(moderator, "/forum/moderation/bans", kind="ip", value="10.1.2.3", reason="proxy abuse")
    assert asked.status_code == 200 and "This address is shared" in asked.text
    assert bans_in_force(app) == []
    public = send(moderator, "/forum/moderation/bans", kind="ip", value="81.2.69.160")
    assert public.status_code == 200 and "This address is shared" not in public.text
    assert "Nothing has been banned yet" in public.text and bans_in_force(app) == []

    done = send(moderator, "/forum/moderation/bans", kind="ip", value="10.1.2.3", reason="proxy abuse", confirm="1")
    assert done.status_code == 303
    assert [(ban.kind, ban.label) for ban in bans_in_force(app)] == [("ip", "an IP address")]

    junk = send(moderator, "/forum/moderation/bans", kind="ip", value="not an address\r\n", confirm="1")
    assert junk.status_code == 400 and "is not an IP address" in junk.text
    assert len(bans_in_force(app)) == 1


def test_every_ban_and_lift_is_in_the_audit_log_without_the_banned_value(app, users, moderator):
    author = client_at(app, "203.0.113.9")
    comment_id = comment_id_from(post_comment(author, author_email="troll@abuse.example", body="abuse"))
    mark_shared(app, comment_id, False)
    assert (
        send(moderator, f"/forum/moderation/comments/{comment_id}/ban", kind="email", reason="harassment").status_code
        == 303
    )
    assert (
        send(
            moderator, f"/forum/moderation/comments/{comment_id}/ban", kind="ip", reason="flood", confirm="1"
        ).status_code
        == 303
    )
    assert send(moderator, "/forum/moderation/bans", kind="domain", value="spam.example").status_code == 303
    by_hand = max(ban.id for ban in bans_in_force(app))
    email_ban = min(ban.id for ban in bans_in_force(app))
    assert send(moderator, f"/forum/moderation/bans/{email_ban}/delete").status_code == 303

    events = ban_events(app)
    assert [(e.action, e.comment_id, e.actor_id, e.actor_name, e.reason) for e in events] == [
        ("ban", comment_id, str(users["moderator"]), "mod", "email: harassment"),
        ("ban", comment_id, str(users["moderator"]), "mod", "ip: flood"),
        ("ban", None, str(users["moderator"]), "mod", "domain"),
        ("lift ban", comment_id, str(users["moderator"]), "mod", "email: harassment"),
    ]
    assert events[2].ban_id == by_hand and events[3].ban_id == events[0].ban_id == email_ban
    with app.app_context():
        ip_hash = hostapp.db.session.get(Comment, comment_id).ip_hash
    log = moderator.get("/forum/moderation/log")
    assert log.status_code == 200
    table = log.text.split("<tbody>", 1)[1]
    assert table.count("lift ban") == 1 and table.count(">ban <") == 3
    assert "email: harassment" in table and "ip: flood" in table
    for secret in ("troll@abuse.example", ip_hash, "203.0.113.9"):
        assert secret not in log.text
        assert all(secret not in e.reason for e in events)
    history = moderator.get(f"/forum/moderation/log?comment={comment_id}").text
    assert "lift ban" in history and "ip: flood" in history
