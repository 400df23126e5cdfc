"""The moderation policy, without Flask or a database: each rule and its reason."""

from __future__ import annotations

import pytest

from forum_plugin.models import Status
from forum_plugin.policy import (
    BanMatch,
    Context,
    Decision,
    Draft,
    decide,
    with_host_rules,
)

READER = Draft(body="Thank you for the report.", author_name="Mali", author_email="mali@example.org", ip_hash="h1")
MEMBER = Draft(body="Thank you for the report.", author_name="Kim", author_id="7")


def test_pre_moderation_holds_a_readers_comment_and_says_why():
    decision = decide(READER, Context(mode="pre"))
    assert decision.status is Status.PENDING
    assert decision.reason == "held: every comment is reviewed first"
    assert decision.reader_message is None


def test_post_moderation_publishes():
    assert decide(READER, Context(mode="post")).status is Status.APPROVED


def test_a_moderators_own_comment_is_approved():
    decision = decide(Draft(body="x", author_name="Mod", author_is_moderator=True), Context(mode="pre"))
    assert (decision.status, decision.reason) == (Status.APPROVED, "author is a moderator")


def test_a_banned_account_or_address_is_rejected_and_told():
    for kind in ("account", "ip"):
        decision = decide(READER, Context(mode="post", ban=BanMatch(kind, "abuse in March")))
        assert (decision.status, decision.reason) == (Status.REJECTED, f"banned {kind}: abuse in March")
        assert "not accepted" in decision.reader_message


@pytest.mark.parametrize("kind", ["email", "domain"])
def test_a_ban_on_a_typed_email_is_never_told(kind):
    """Anyone can type a stranger's address: a refusal would reveal the ban."""
    decision = decide(READER, Context(mode="post", ban=BanMatch(kind, "abuse in March")))
    assert decision.status is Status.SPAM and decision.reader_message is None
    assert decision.reason == f"banned {kind}: abuse in March (kept silently as spam)"


def test_a_silent_ban_keeps_the_comment_as_spam_without_telling():
    decision = decide(READER, Context(ban=BanMatch("ip", ""), ban_silent=True))
    assert decision.status is Status.SPAM and decision.reader_message is None
    assert decision.reason == "banned ip (kept silently as spam)"


@pytest.mark.parametrize(
    "body, words, found",
    [
        ("Buy CHEAP watches", ("cheap",), "cheap"),
        ("cheapest prices", ("cheap",), None),
        ("ซื้อยาเสพติดได้ที่นี่", ("ยาเสพติด",), "ยาเสพติด"),
        ("联系我买假证件", ("假证",), "假证"),
    ],
)
def test_banned_words_match_whole_words_or_unspaced_scripts(body, words, found):
    decision = decide(Draft(body=body, author_name="x"), Context(mode="post", banned_words=words))
    if found is None:
        assert decision.status is Status.APPROVED
    else:
        assert (decision.status, decision.reason) == (Status.REJECTED, f"banned word: {found!r}")
        assert decision.reader_message


def test_a_duplicate_is_rejected_with_a_message():
    decision = decide(READER, Context(mode="post", duplicate=True))
    assert decision.status is Status.REJECTED
    assert decision.reason == "duplicate of a comment by the same author in the last 10 minutes"
    assert decision.reader_message == "You already posted this comment a moment ago."


def test_a_trusted_account_skips_the_queue():
    decision = decide(MEMBER, Context(mode="pre", trust_after=3, approved_before=3))
    assert decision.status is Status.APPROVED
    assert decision.reason == "trusted: 3 approved comments, none rejected in 30 days"


@pytest.mark.parametrize(
    "draft, context",
    [
        (MEMBER, Context(trust_after=3, approved_before=2)),
        (MEMBER, Context(trust_after=3, approved_before=9, rejected_recently=1)),
        # An email address alone is never trusted: nobody verified it.
        (READER, Context(trust_after=3, approved_before=9)),
    ],
)
def test_trust_needs_an_account_a_record_and_no_recent_rejection(draft, context):
    assert decide(draft, context).status is Status.PENDING


def test_too_many_links_are_held_with_the_count():
    draft = Draft(body="x", author_name="y", links=3)
    decision = decide(draft, Context(mode="post", max_links=2))
    assert (decision.status, decision.reason) == (Status.PENDING, "held: 3 links, limit 2")
    assert (
        decide(Draft(body="x", author_name="y", links=2), Context(mode="post", max_links=2)).status is Status.APPROVED
    )


def test_suspect_words_are_held():
    decision = decide(
        Draft(body="Send money by Western Union", author_name="y"),
        Context(mode="post", suspect_words=("western union",)),
    )
    assert (decision.status, decision.reason) == (Status.PENDING, "held: suspect word 'western union'")


def test_refusals_come_before_trust_and_trust_before_holds():
    context = Context(trust_after=1, approved_before=5, banned_words=("scam",), suspect_words=("money",), max_links=0)
    assert decide(Draft(body="a scam", author_name="k", author_id="1"), context).status is Status.REJECTED
    trusted = decide(Draft(body="money", author_name="k", author_id="1", links=4), context)
    assert trusted.status is Status.APPROVED


def test_host_rules_run_between_refusals_and_sorting():
    def spam_service(draft, context):
        if "casino" in draft.body:
            return Decision(Status.SPAM, ("spam service: score 0.97",))
        return None

    rules = with_host_rules([spam_service])
    banned = Context(mode="post", banned_words=("casino",))
    assert decide(Draft(body="casino", author_name="x"), banned, rules).reason == "banned word: 'casino'"
    trusted = Context(mode="post", trust_after=1, approved_before=9)
    decision = decide(Draft(body="casino", author_name="x", author_id="1"), trusted, rules)
    assert (decision.status, decision.reason) == (Status.SPAM, "spam service: score 0.97")
