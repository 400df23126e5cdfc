"""Stored moderation reasons: what each rule writes can be read back (by
the parser the 0004 migration keeps, for the lines stored before reason
codes), and a moderator reading Thai sees it in Thai."""

from __future__ import annotations

import pytest
from flask import Flask

from forum_plugin import i18n
from forum_plugin.policy import BanMatch, Context, Draft, decide

from .frozen_reasons import as_migrated
from .frozen_reasons import migration as reasons

READER = Draft(body="Please transfer the fee", author_name="Mali", author_email="mali@example.org", ip_hash="h1")
MEMBER = Draft(body="Thank you.", author_name="Kim", author_id="7")

EVERY_RULE = [
    (READER, Context(mode="pre")),
    (READER, Context(mode="post")),
    (Draft(body="x", author_name="Mod", author_is_moderator=True), Context()),
    (READER, Context(ban=BanMatch("email", "abuse: threats in March"))),
    (READER, Context(ban=BanMatch("ip", ""))),
    (READER, Context(ban=BanMatch("domain", "throwaway mail"), ban_silent=True)),
    (READER, Context(banned_words=("transfer",))),
    (READER, Context(duplicate=True)),
    (MEMBER, Context(approved_before=5, trust_after=3)),
    (Draft(body="x", author_name="y", links=3), Context(max_links=2)),
    (READER, Context(suspect_words=("fee",))),
]


@pytest.mark.parametrize(("draft", "context"), EVERY_RULE)
def test_every_reason_the_policy_writes_reads_back_the_same(draft, context):
    stored = decide(draft, context).reason
    found = reasons.parse(stored)
    assert found is not None, stored
    text, values = found
    assert text % values == stored


def test_a_banned_word_is_not_read_as_a_ban_of_some_kind():
    assert reasons.parse("banned word: 'transfer'") == (reasons.BANNED_WORD, {"word": "'transfer'"})
    assert reasons.parse("banned account: spam, again: twice") == (
        reasons.BANNED_AUTHOR_BECAUSE,
        {"kind": "account", "reason": "spam, again: twice"},
    )


def test_words_the_forum_did_not_write_are_not_read():
    assert reasons.parse("the spam service says so") is None
    assert reasons.parse("") is None


def test_a_thai_moderator_reads_reasons_in_thai_with_their_values(thai):
    shown = i18n.reason_text(as_migrated("held: suspect word 'fee'"))
    assert "'fee'" in shown and "suspect" not in shown and "held" not in shown
    silent = i18n.reason_text(as_migrated("banned domain: throwaway mail (kept silently as spam)"))
    assert "throwaway mail" in silent and "kept silently" not in silent
    assert i18n.reason_text(as_migrated("the spam service says so")) == "the spam service says so"


def test_without_flask_babel_reasons_read_as_stored():
    with Flask(__name__).test_request_context():
        assert i18n.reason_text(as_migrated("held: 3 links, limit 2")) == "held: 3 links, limit 2"
