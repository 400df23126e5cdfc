"""The moderation policy: which status a new comment gets, and why.

Rules run in order; the first that returns a :class:`Decision` wins, and
when none does, the site's moderation mode decides. Every decision carries
reasons written for a moderator to read. Pure: imports no Flask.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

from .models import Status


@dataclass(frozen=True)
class Draft:
    """What the policy knows of a comment before it is stored."""

    body: str
    author_name: str
    author_email: str | None = None
    author_id: str | None = None
    ip_hash: str | None = None
    author_is_moderator: bool = False


@dataclass(frozen=True)
class Decision:
    status: Status
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def reason(self) -> str:
        """The reasons as one line, as stored with the comment."""
        return "; ".join(self.reasons)


Rule = Callable[[Draft], "Decision | None"]


def moderator_author(draft: Draft) -> Decision | None:
    """A moderator's own comment needs nobody's approval."""
    if draft.author_is_moderator:
        return Decision(Status.APPROVED, ("author is a moderator",))
    return None


DEFAULT_RULES: tuple[Rule, ...] = (moderator_author,)


def by_mode(mode: str) -> Decision:
    """The decision when no rule had anything to say."""
    if mode == "post":
        return Decision(Status.APPROVED, ("published: post-moderation",))
    return Decision(Status.PENDING, ("held: every comment is reviewed first",))


def decide(draft: Draft, mode: str, rules: Sequence[Rule] = DEFAULT_RULES) -> Decision:
    """Run ``rules`` in order over ``draft``; fall back to the moderation ``mode``."""
    for rule in rules:
        decision = rule(draft)
        if decision is not None:
            return decision
    return by_mode(mode)
