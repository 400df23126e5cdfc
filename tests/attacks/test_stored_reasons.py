"""Stored reasons someone tampered with, or words that only look like the
forum's: no moderation page breaks, nothing is shown unescaped, and the
upgrade that converts old reason lines never stops on one.

``reason_data`` holds JSON. A row edited by hand, written by a later version
or damaged must not take the dashboard, the audit log or a comment's page
down for every moderator: what cannot be read is shown as its English line.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import column, select, table, text, update

from forum_plugin import bans, personal_data, reasons
from forum_plugin.models import BanKind, Comment, ModerationEvent

from .. import hostapp
from ..conftest import add_users, comment_id_from, log_in, post_comment, seed_comment
from ..frozen_reasons import migration
from ..test_reason_codes import bare_app, forum  # noqa: F401  (bare_app is a fixture)
from ..test_translations import with_babel

NESTED_REASONS = "[" + '{"code":"held","reason":' * 600 + '"x"' + "}" * 600 + "]"
NESTED_LISTS = "[" * 5_000 + "]" * 5_000  # past what the JSON parser nests, within a TEXT column
# A lone surrogate is valid JSON text but no page can encode it.
SURROGATE_VALUE = '[{"code":"ban_kind_because","ban_kind":"email","reason":"\\ud800"}]'
SURROGATE_WORDS = '[{"code":"held","reason":"\\udfff"}]'
MODERATION_PAGES = ("/forum/moderation/", "/forum/moderation/log", "/forum/moderation/comments/{id}")


@pytest.mark.parametrize(
    "data",
    [NESTED_REASONS, NESTED_LISTS, SURROGATE_VALUE, SURROGATE_WORDS],
    ids=["nested-reasons", "nested-lists", "surrogate-value", "surrogate-words"],
)
@pytest.mark.parametrize("page", MODERATION_PAGES)
def test_tampered_reason_data_shows_the_english_line_instead_of_breaking_the_page(app, moderator, data, page):
    comment_id = seed_comment(app, body="a comment", author_email="x@example.org")
    with app.app_context():
        session = hostapp.db.session
        session.execute(
            update(Comment)
            .where(Comment.id == comment_id)
            .values(moderation_reason="the stored line", reason_data=data, status="pending")
        )
        session.execute(update(ModerationEvent).values(reason="the stored line", reason_data=data))
        session.commit()
    response = moderator.get(page.format(id=comment_id))
    assert response.status_code == 200
    assert "the stored line" in response.text


SCRIPT = "<script>alert(1)</script>\"'&"
WRITTEN_WITH_SCRIPT = [
    reasons.held(reasons.suspect_word(SCRIPT)),
    reasons.kept_as_spam(reasons.banned_author("email", SCRIPT)),
    reasons.ban_kind("email", SCRIPT),
    reasons.listed_word("banned", SCRIPT),
    reasons.imported(SCRIPT),
    SCRIPT,
]


@pytest.mark.parametrize("lang", ["en", "th"])
@pytest.mark.parametrize("given", WRITTEN_WITH_SCRIPT, ids=range(len(WRITTEN_WITH_SCRIPT)))
@pytest.mark.parametrize("page", MODERATION_PAGES)
def test_values_inside_reasons_are_escaped_once_in_every_language(make_app, lang, given, page):
    app = with_babel(make_app())
    client = app.test_client()
    log_in(client, add_users(app)["moderator"])
    comment_id = seed_comment(app, body="a comment")
    with app.app_context():
        session = hostapp.db.session
        comment = session.get(Comment, comment_id)
        comment.reasons = [given]
        comment.status = "pending"
        session.execute(
            update(ModerationEvent).values(reason=reasons.english([given]), reason_data=reasons.encode([given]))
        )
        session.commit()
    response = client.get(page.format(id=comment_id) + f"?lang={lang}")
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "&amp;amp;" not in response.text and "&amp;lt;" not in response.text


NAMES = ['Zoë "Z" O\'Brien', "Ünal\\Back", "กัญญา ศรีสุข", "ŞENOL İLKER", "Ann\u2028Lee", "Bob 😀 Smith", "Ζωή"]


@pytest.mark.parametrize("name", NAMES)
def test_erase_reaches_a_name_and_address_quoted_inside_stored_reasons(app, users, name):
    email = "ZOË.x@Example.org"
    with app.app_context():
        bans.add(
            hostapp.db.session,
            BanKind.EMAIL,
            email,
            reason=f"complaint about {name.upper()} <{email.lower()}>",
            days=None,
            by_id=str(users["moderator"]),
            by_name="mod",
        )
        hostapp.db.session.commit()
    comment_id_from(post_comment(app.test_client(), author_name=name, author_email=email))
    with app.app_context():
        session = hostapp.db.session
        personal_data.erase(session, email)
        session.commit()
        session.expire_all()
        rows = [
            *session.execute(select(Comment.moderation_reason, Comment.reason_data)).all(),
            *session.execute(select(ModerationEvent.reason, ModerationEvent.reason_data)).all(),
        ]
    for line, data in rows:
        decoded = json.dumps(json.loads(data), ensure_ascii=False) if data else ""
        for stored in (line, decoded):
            assert name.lower() not in stored.lower() and name.upper() not in stored
            assert "zoë.x@example.org" not in stored.lower()


# A moderator's or a host rule's own words that look like a line the forum writes.
LOOKALIKE_LINES = [
    "banned word: {{1}}",
    "held: banned word: {{1}}",
    "banned word: '\\ud800'",
    "held: suspect word '\\udc80'",
]


@pytest.mark.parametrize("line", LOOKALIKE_LINES)
def test_the_upgrade_reads_lookalike_lines_as_words_or_not_at_all(line):
    data = migration.reason_data(line)
    if data is not None:
        data.encode("utf-8")  # what the database driver does with it
        assert reasons.english(reasons.decode(data, "")) == line


@pytest.mark.parametrize("line", LOOKALIKE_LINES)
def test_the_upgrade_never_stops_on_a_lookalike_line(bare_app, line):  # noqa: F811
    forum(bare_app, "db", "upgrade", "0003")
    when = datetime(2026, 1, 1)
    threads = table(
        "forum_threads", *map(column, ["id", "key", "title", "url", "approved_count", "pending_count", "created_at"])
    )
    events = table(
        "forum_moderation_events",
        *map(column, ["id", "comment_id", "actor_name", "action", "to_status", "reason", "created_at"]),
    )
    with bare_app.app_context(), hostapp.db.engine.begin() as connection:
        connection.execute(
            threads.insert().values(
                id=1, key="old", title="Old", url="/old", approved_count=0, pending_count=0, created_at=when
            )
        )
        connection.execute(
            events.insert().values(
                id=1,
                comment_id=None,
                actor_name="mod",
                action="reject",
                to_status="rejected",
                reason=line,
                created_at=when,
            )
        )
    forum(bare_app, "db", "upgrade")
    with bare_app.app_context(), hostapp.db.engine.connect() as connection:
        assert connection.execute(text("SELECT reason FROM forum_moderation_events")).scalar() == line
