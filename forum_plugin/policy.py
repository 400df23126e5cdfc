"""The moderation policy: which status a new comment gets, and why.

Rules run in order; the first that returns a :class:`Decision` wins, and
when none does, the site's moderation mode decides. Every decision carries
reasons written for a moderator to read, and some a message for the reader.
Pure: imports no Flask and reads no database; what the rules need to know
about the author and the site arrives in a :class:`Context`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable, Sequence

from . import reasons
from .config import DEFAULT_SETTINGS, POST_MODERATION, TRUST_WINDOW_DAYS
from .models import Status
from .reasons import Given
from .vocabulary import N_, BanKind

# The same author posting the same text again within this is refused.
DUPLICATE_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class Draft:
    """What the policy knows of a comment before it is stored."""

    body: str
    author_name: str
    author_email: str | None = None
    author_id: str | None = None
    ip_hash: str | None = None
    author_is_moderator: bool = False
    links: int = 0
    notify: bool = False


@dataclass(frozen=True)
class BanMatch:
    kind: str
    reason: str


@dataclass(frozen=True)
class Context:
    """Facts about the site and the author, gathered before the rules run.
    The site's facts default to the configuration's defaults.

    :ivar approved_before: the account's approved comments (0 without an account).
    :ivar rejected_recently: its comments rejected or marked spam in the last
        :data:`~forum_plugin.config.TRUST_WINDOW_DAYS` days.
    :ivar duplicate: the same author posted the same text within :data:`DUPLICATE_WINDOW`.
    """

    mode: str = DEFAULT_SETTINGS.moderation
    banned_words: tuple[str, ...] = DEFAULT_SETTINGS.banned_words
    suspect_words: tuple[str, ...] = DEFAULT_SETTINGS.suspect_words
    max_links: int = DEFAULT_SETTINGS.max_links
    trust_after: int = DEFAULT_SETTINGS.trust_after
    ban: BanMatch | None = None
    ban_silent: bool = DEFAULT_SETTINGS.ban_silent
    approved_before: int = 0
    rejected_recently: int = 0
    duplicate: bool = False


@dataclass(frozen=True)
class Decision:
    """A status, the reasons moderators see, and what the reader is told (if
    anything) instead of the usual "awaiting moderation".

    The built-in rules give :class:`~forum_plugin.reasons.Reason` values,
    shown in each moderator's language; a host rule may give its own words
    (a ``str``), shown as they are.
    """

    status: Status
    reasons: tuple[Given, ...] = ()
    reader_message: str | None = None

    @property
    def reason(self) -> str:
        """The reasons as one line in English, as stored with the comment."""
        return reasons.english(self.reasons)


Rule = Callable[[Draft, Context], "Decision | None"]


def _find_word(text: str, words: Sequence[str]) -> str | None:
    """The first of ``words`` in ``text`` as a whole word, ignoring case.

    Scripts written without spaces (Thai, Burmese, Khmer, Chinese) have no
    word boundaries to match, so there a plain substring counts.
    """
    lowered = text.casefold()
    for word in words:
        needle = word.casefold().strip()
        if not needle:
            continue
        if needle.isascii():
            if re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", lowered):
                return word
        elif needle in lowered:
            return word
    return None


def moderator_author(draft: Draft, context: Context) -> Decision | None:
    """A moderator's own comment needs nobody's approval."""
    if draft.author_is_moderator:
        return Decision(Status.APPROVED, (reasons.MODERATOR_AUTHOR,))
    return None


# Bans whose comments are kept as spam on every site (see BanKind.always_silent).
ALWAYS_SILENT_BANS = frozenset(kind.value for kind in BanKind if kind.always_silent)


def banned_author(draft: Draft, context: Context) -> Decision | None:
    """A banned author's comment is refused and they are told, or, for bans
    by address and on sites with silent bans, kept as spam as if it waited."""
    if context.ban is None:
        return None
    ban = context.ban
    reason = reasons.banned_author(ban.kind, ban.reason)
    if context.ban_silent or ban.kind in ALWAYS_SILENT_BANS:
        return Decision(Status.SPAM, (reasons.kept_as_spam(reason),))
    return Decision(Status.REJECTED, (reason,), N_("Comments from you are not accepted on this site."))


def banned_word(draft: Draft, context: Context) -> Decision | None:
    word = _find_word(draft.body, context.banned_words)
    if word is None:
        return None
    return Decision(
        Status.REJECTED,
        (reasons.banned_word(word),),
        N_("Your comment contains language this site does not accept, so it was not posted."),
    )


def duplicate(draft: Draft, context: Context) -> Decision | None:
    if not context.duplicate:
        return None
    return Decision(
        Status.REJECTED,
        (reasons.duplicate(minutes=DUPLICATE_WINDOW // timedelta(minutes=1)),),
        N_("You already posted this comment a moment ago."),
    )


def trusted_author(draft: Draft, context: Context) -> Decision | None:
    """Accounts with a record skip the queue; an email address alone proves nothing."""
    if draft.author_id is None or context.rejected_recently:
        return None
    if context.approved_before >= context.trust_after:
        return Decision(
            Status.APPROVED,
            (reasons.trusted_author(context.approved_before, TRUST_WINDOW_DAYS),),
        )
    return None


def too_many_links(draft: Draft, context: Context) -> Decision | None:
    if draft.links > context.max_links:
        return Decision(Status.PENDING, (reasons.held(reasons.too_many_links(draft.links, context.max_links)),))
    return None


def suspect_word(draft: Draft, context: Context) -> Decision | None:
    word = _find_word(draft.body, context.suspect_words)
    if word is None:
        return None
    return Decision(Status.PENDING, (reasons.held(reasons.suspect_word(word)),))


# Rules that refuse a comment outright; host rules run after these.
REFUSING_RULES: tuple[Rule, ...] = (moderator_author, banned_author, banned_word, duplicate)
# Rules that approve or hold; they run after the host's.
SORTING_RULES: tuple[Rule, ...] = (trusted_author, too_many_links, suspect_word)
DEFAULT_RULES: tuple[Rule, ...] = REFUSING_RULES + SORTING_RULES


def with_host_rules(host_rules: Sequence[Rule]) -> tuple[Rule, ...]:
    """The built-in rules with a host's own between the refusing and the sorting ones."""
    return (*REFUSING_RULES, *host_rules, *SORTING_RULES)


def before_rendering(rules: Sequence[Rule]) -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    """``rules`` cut in two: the leading built-in refusing rules, which read
    nothing of the rendered text (bans, words, duplicates) and so can run
    before it is rendered, and the rest, in order."""
    cut = 0
    while cut < len(rules) and rules[cut] in REFUSING_RULES:
        cut += 1
    return tuple(rules[:cut]), tuple(rules[cut:])


def first_decision(draft: Draft, context: Context, rules: Sequence[Rule]) -> Decision | None:
    """The decision of the first of ``rules`` that has one, if any does."""
    for rule in rules:
        decision = rule(draft, context)
        if decision is not None:
            return decision
    return None


def by_mode(mode: str) -> Decision:
    """The decision when no rule had anything to say."""
    if mode == POST_MODERATION:
        return Decision(Status.APPROVED, (reasons.POST_MODERATION,))
    return Decision(Status.PENDING, (reasons.held(reasons.EVERY_COMMENT_REVIEWED),))


def decide(draft: Draft, context: Context, rules: Sequence[Rule] = DEFAULT_RULES) -> Decision:
    """Run ``rules`` in order over ``draft``; fall back to the moderation mode."""
    return first_decision(draft, context, rules) or by_mode(context.mode)
