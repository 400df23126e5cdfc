"""The moderation policy, without Flask."""

from __future__ import annotations

from forum_plugin.models import Status
from forum_plugin.policy import Decision, Draft, decide


def test_pre_moderation_holds_a_readers_comment_and_says_why():
    decision = decide(Draft(body="hello", author_name="Mali"), "pre")
    assert decision.status is Status.PENDING
    assert decision.reason


def test_a_moderators_own_comment_is_approved_in_pre_mode():
    decision = decide(Draft(body="hello", author_name="Mod", author_is_moderator=True), "pre")
    assert decision.status is Status.APPROVED
    assert "moderator" in decision.reason


def test_post_moderation_publishes():
    assert decide(Draft(body="hello", author_name="Mali"), "post").status is Status.APPROVED


def test_the_first_rule_with_an_answer_wins():
    def hold_everything(draft):
        return Decision(Status.PENDING, ("held: test rule",))

    def never_reached(draft):
        raise AssertionError("rules after a decision must not run")

    decision = decide(Draft(body="x", author_name="y"), "post", [lambda d: None, hold_everything, never_reached])
    assert decision == Decision(Status.PENDING, ("held: test rule",))
