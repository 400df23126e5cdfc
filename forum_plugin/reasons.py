"""Why a comment has its status: the texts the forum stores with it and in
the audit log.

They are stored in English with their values filled in, so the database
reads the same whatever language a moderator uses; :func:`parse` finds the
text and the values again, so that the dashboard can show them translated
(``forum_plugin.i18n.reason_text``). Reasons the forum did not write (a
host's rule, a moderator's own words) are shown as they are.
Pure: imports no Flask.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .vocabulary import N_

MODERATOR_AUTHOR = N_("author is a moderator")
BANNED_AUTHOR = N_("banned %(kind)s")
BANNED_AUTHOR_BECAUSE = N_("banned %(kind)s: %(reason)s")
KEPT_AS_SPAM = N_("%(reason)s (kept silently as spam)")
BANNED_WORD = N_("banned word: %(word)s")
DUPLICATE = N_("duplicate of a comment by the same author in the last 10 minutes")
TRUSTED_AUTHOR = N_("trusted: %(approved)s approved comments, none rejected in %(days)s days")
HELD_BECAUSE = N_("held: %(reason)s")
# How the reasons for holding a comment begin, as stored.
HELD = HELD_BECAUSE % {"reason": ""}
TOO_MANY_LINKS = N_("%(links)s links, limit %(limit)s")
SUSPECT_WORD = N_("suspect word %(word)s")
EVERY_COMMENT_REVIEWED = N_("every comment is reviewed first")
POST_MODERATION = N_("published: post-moderation")
REPORTED = N_("reported by %(count)s readers")
DELETED_BY_AUTHOR = N_("deleted by the author")

# Tried in this order: each before those that would also read it with a
# value swallowing its words ("banned word: …" is no "banned <kind>").
TEXTS: tuple[str, ...] = (
    MODERATOR_AUTHOR,
    KEPT_AS_SPAM,
    BANNED_WORD,
    BANNED_AUTHOR_BECAUSE,
    BANNED_AUTHOR,
    DUPLICATE,
    TRUSTED_AUTHOR,
    HELD_BECAUSE,
    TOO_MANY_LINKS,
    SUSPECT_WORD,
    EVERY_COMMENT_REVIEWED,
    POST_MODERATION,
    REPORTED,
    DELETED_BY_AUTHOR,
)

_VALUE = re.compile(r"%\((\w+)\)s")


def held(text: str, **values: object) -> str:
    """The stored reason for holding a comment: ``HELD`` and ``text`` filled in."""
    return HELD_BECAUSE % {"reason": text % values}


def why_held(reason: str) -> str:
    """A stored reason as read after the words "Why held:"."""
    return reason.removeprefix(HELD)


@lru_cache(maxsize=None)
def _pattern(text: str) -> re.Pattern[str]:
    parts = _VALUE.split(text)
    # split() alternates literal text and value names.
    return re.compile(
        "".join(re.escape(part) if n % 2 == 0 else f"(?P<{part}>.+?)" for n, part in enumerate(parts)),
        re.DOTALL,
    )


def parse(stored: str) -> tuple[str, dict[str, str]] | None:
    """The text ``stored`` was written from and its values, or None when the
    forum did not write it."""
    for text in TEXTS:
        found = _pattern(text).fullmatch(stored)
        if found:
            return text, found.groupdict()
    return None
