"""Why a comment has its status: the reasons the forum keeps with it and in
the audit log.

A reason the forum writes is a :class:`Reason`: a :class:`Code` and its
values, stored as JSON (:func:`encode`) so that each reader sees it in their
own language (:func:`render`), whatever language the moderator who caused it
used. Its English line (:func:`english`) is stored beside it, for searching
the database and for exports. A host rule's or a moderator's own words are
a plain ``str``: kept and shown as they are.
Pure: imports no Flask.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence, Union, overload

from .vocabulary import N_, BanKind, Choice


class Code(Choice):
    """Each reason the forum writes: the value is what the JSON stores, the
    text its English (the msgid), whose ``%(name)s`` places its values fill."""

    text: str

    @overload
    def __new__(cls, value: str) -> Code: ...
    @overload
    def __new__(cls, value: str, text: str, /) -> Code: ...
    def __new__(cls, value: str, *text: str) -> Code:
        member = cls._member(value)
        (member.text,) = text
        return member

    MODERATOR_AUTHOR = ("moderator_author", N_("author is a moderator"))
    BANNED_AUTHOR = ("banned_author", N_("banned %(kind)s"))
    BANNED_AUTHOR_BECAUSE = ("banned_author_because", N_("banned %(kind)s: %(reason)s"))
    KEPT_AS_SPAM = ("kept_as_spam", N_("%(reason)s (kept silently as spam)"))
    BANNED_WORD = ("banned_word", N_("banned word: %(word)s"))
    DUPLICATE = ("duplicate", N_("duplicate of a comment by the same author in the last %(minutes)s minutes"))
    TRUSTED_AUTHOR = ("trusted_author", N_("trusted: %(approved)s approved comments, none rejected in %(days)s days"))
    HELD = ("held", N_("held: %(reason)s"))
    TOO_MANY_LINKS = ("too_many_links", N_("%(links)s links, limit %(limit)s"))
    SUSPECT_WORD = ("suspect_word", N_("suspect word %(word)s"))
    EVERY_COMMENT_REVIEWED = ("every_comment_reviewed", N_("every comment is reviewed first"))
    POST_MODERATION = ("post_moderation", N_("published: post-moderation"))
    REPORTED = ("reported", N_("reported by %(count)s readers"))
    DELETED_BY_AUTHOR = ("deleted_by_author", N_("deleted by the author"))
    CLEARED_REPORTS = ("cleared_reports", N_("cleared %(count)s reports"))
    EDITED_BY_AUTHOR = ("edited_by_author", N_("edited by the author"))
    TEXT_EDITED = ("text_edited", N_("text edited"))
    # The audit log's own entries: bans, word lists, erases, imports.
    BAN_KIND = ("ban_kind", N_("%(ban_kind)s"))
    BAN_KIND_BECAUSE = ("ban_kind_because", N_("%(ban_kind)s: %(reason)s"))
    LISTED_WORD = ("listed_word", N_("%(word_list)s: %(phrase)s"))
    ERASED_ON_REQUEST = ("erased_on_request", N_("erased at the author's request"))
    ERASED_TEXT_REMOVED = ("erased_text_removed", N_("erased at the author's request, text removed"))
    PERSON_ERASED = ("person_erased", N_("a person's data erased on request: %(erased)s"))
    ERASED_COUNTS = (
        "erased_counts",
        N_(
            "%(comments)s comments, %(revisions)s revisions, %(events)s audit entries, %(reports)s reports, "
            "%(bans)s bans, %(mail_addresses)s mail addresses, %(quotes)s texts quoting them"
        ),
    )
    IMPORTED = ("imported", N_("imported from %(source)s"))


# Values that are words found in a comment: shown quoted, so that a word's
# edges (and any spaces in a phrase) can be seen.
QUOTED = frozenset({"word"})
# The word lists' names, as the dashboard shows them.
WORD_LISTS = {"banned": N_("banned"), "suspect": N_("suspect")}


def _ban_kind_label(kind: str) -> str | None:
    try:
        return BanKind(kind).list_label
    except ValueError:
        return None


# Values that are words of the forum's vocabulary, stored as their value:
# shown as the label (an English msgid) it has there, translated; a value
# this version does not know, as it is. (The "kind" of BANNED_AUTHOR is
# shown as stored, as it always was.)
VOCABULARY: Mapping[str, Callable[[str], str | None]] = {"ban_kind": _ban_kind_label, "word_list": WORD_LISTS.get}

# Reasons in one line are joined by this, in every language.
SEPARATOR = "; "

Value = Union[str, int, "Reason"]


@dataclass(frozen=True)
class Reason:
    """A reason the forum wrote: its code and the values its text needs.

    A value is a number, a word, a person's own words (a ban's reason), or
    another reason (what was held, which ban kept a comment as spam).
    """

    code: Code
    values: Mapping[str, Value] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted(self.values.items()))))


# A reason as given: one the forum wrote, or someone's own words.
Given = Union[Reason, str]


def _reason(code: Code, **values: Value) -> Reason:
    return Reason(code, values)


MODERATOR_AUTHOR = _reason(Code.MODERATOR_AUTHOR)
EVERY_COMMENT_REVIEWED = _reason(Code.EVERY_COMMENT_REVIEWED)
POST_MODERATION = _reason(Code.POST_MODERATION)
DELETED_BY_AUTHOR = _reason(Code.DELETED_BY_AUTHOR)
EDITED_BY_AUTHOR = _reason(Code.EDITED_BY_AUTHOR)
TEXT_EDITED = _reason(Code.TEXT_EDITED)


def banned_author(kind: str, reason: str = "") -> Reason:
    """The author is banned (by ``kind``), for the moderator's ``reason`` if they gave one."""
    if reason:
        return _reason(Code.BANNED_AUTHOR_BECAUSE, kind=kind, reason=reason)
    return _reason(Code.BANNED_AUTHOR, kind=kind)


def kept_as_spam(reason: Given) -> Reason:
    """``reason`` refuses the comment, which is kept as spam without telling its author."""
    return _reason(Code.KEPT_AS_SPAM, reason=reason)


def banned_word(word: str) -> Reason:
    return _reason(Code.BANNED_WORD, word=word)


def duplicate(minutes: int) -> Reason:
    """The same author posted the same text in the last ``minutes``."""
    return _reason(Code.DUPLICATE, minutes=minutes)


def trusted_author(approved: int, days: int) -> Reason:
    return _reason(Code.TRUSTED_AUTHOR, approved=approved, days=days)


def held(reason: Given) -> Reason:
    """The comment waits for a moderator because of ``reason``."""
    return _reason(Code.HELD, reason=reason)


def too_many_links(links: int, limit: int) -> Reason:
    return _reason(Code.TOO_MANY_LINKS, links=links, limit=limit)


def suspect_word(word: str) -> Reason:
    return _reason(Code.SUSPECT_WORD, word=word)


def reported(count: int) -> Reason:
    """``count`` readers reported the comment, which went back to the queue."""
    return _reason(Code.REPORTED, count=count)


def cleared_reports(count: int) -> Reason:
    """An approval answered ``count`` open reports."""
    return _reason(Code.CLEARED_REPORTS, count=count)


def ban_kind(kind: str, reason: str = "") -> Reason:
    """What the audit log says about a ban made or lifted: its kind and the
    moderator's ``reason``, never its value."""
    if reason:
        return _reason(Code.BAN_KIND_BECAUSE, ban_kind=kind, reason=reason)
    return _reason(Code.BAN_KIND, ban_kind=kind)


def listed_word(word_list: str, phrase: str) -> Reason:
    """A word or phrase added to, or taken off, a word list."""
    return _reason(Code.LISTED_WORD, word_list=word_list, phrase=phrase)


def erased_on_request(text_removed: bool) -> Reason:
    """A comment of a person erased at their request (its text too, or not)."""
    return _reason(Code.ERASED_TEXT_REMOVED if text_removed else Code.ERASED_ON_REQUEST)


def erased_counts(**counts: int) -> Reason:
    """How many rows of each kind an erase changed."""
    return _reason(Code.ERASED_COUNTS, **counts)


def person_erased(counts: Reason) -> Reason:
    """A person's data erased on request, with what it changed (:func:`erased_counts`)."""
    return _reason(Code.PERSON_ERASED, erased=counts)


def imported(source: str) -> Reason:
    """A comment brought in by the importer from ``source``."""
    return _reason(Code.IMPORTED, source=source)


# gettext(text, **values): ``text`` in the reader's language with the values in.
Translate = Callable[..., str]


def _untranslated(text: str, **values: object) -> str:
    return text % values if values else text


def _shown(name: str, value: Value, gettext: Translate) -> str | int:
    if isinstance(value, Reason):
        return _one(value, gettext)
    if isinstance(value, str) and name in VOCABULARY:
        label = VOCABULARY[name](value)
        return gettext(label) if label else value
    return repr(value) if name in QUOTED else value


def _one(reason: Given, gettext: Translate) -> str:
    if isinstance(reason, str):
        return reason
    values = {name: _shown(name, value, gettext) for name, value in reason.values.items()}
    return gettext(reason.code.text, **values)


def render(reasons: Sequence[Given], gettext: Translate) -> str:
    """``reasons`` as one line, each translated by ``gettext`` with its
    values (and the reasons among them) in; own words as they are."""
    return SEPARATOR.join(_one(reason, gettext) for reason in reasons)


def english(reasons: Sequence[Given]) -> str:
    """``reasons`` as one line in English: what the text columns store."""
    return render(reasons, _untranslated)


# How the English line of a held comment begins.
HELD_PREFIX = Code.HELD.text % {"reason": ""}


def _without_held(reason: Given) -> Given:
    if isinstance(reason, str):
        return reason.removeprefix(HELD_PREFIX)
    inner = reason.values.get("reason") if reason.code == Code.HELD else None
    return inner if isinstance(inner, (Reason, str)) else reason


# A str is a Sequence[str] too; the first signature takes it, as at run time.
@overload
def why_held(reasons: str) -> str: ...  # type: ignore[overload-overlap]
@overload
def why_held(reasons: Sequence[Given]) -> tuple[Given, ...]: ...
def why_held(reasons: str | Sequence[Given]) -> str | tuple[Given, ...]:
    """Jinja filter ``forum_why_held``: reasons as read after the words
    "Why held:", without the "held" that begins them (in own words too: a
    host rule may have written "held: …" itself)."""
    if isinstance(reasons, str):
        return reasons.removeprefix(HELD_PREFIX)
    return tuple(_without_held(reason) if n == 0 else reason for n, reason in enumerate(reasons))


def _as_json(reason: Given) -> object:
    if isinstance(reason, str):
        return reason
    values = {name: _as_json(v) if isinstance(v, Reason) else v for name, v in reason.values.items()}
    return {"code": reason.code.value, **values}


def encode(reasons: Sequence[Given]) -> str | None:
    """``reasons`` as stored in a ``reason_data`` column: a JSON list of own
    words (strings) and reasons (``{"code": …, value names: values}``,
    values nested the same way). None when the English line says it all:
    no reasons, or only own words."""
    if all(isinstance(reason, str) for reason in reasons):
        return None
    return json.dumps([_as_json(reason) for reason in reasons], ensure_ascii=False, separators=(",", ":"))


class Unreadable(ValueError):
    """Stored reasons this version cannot read: a code it does not know, or
    values other than its text's."""


_PLACE = re.compile(r"%\((\w+)\)s")
# How deep the forum nests reasons (a word held inside a ban kept as spam is
# three); stored data nested deeper was not written by it.
MAX_NESTING = 8


def _text(value: str) -> str:
    """``value`` if a page can show it: JSON can carry lone surrogates, which
    no page or mail can encode."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Unreadable("a lone surrogate") from None
    return value


def _reason_from_json(item: Mapping[str, object], depth: int = 0) -> Reason:
    if depth > MAX_NESTING:
        raise Unreadable("nested too deep")
    stored = item.get("code")
    try:
        code = Code(str(stored))
    except ValueError:
        raise Unreadable(repr(stored)) from None
    values: dict[str, Value] = {}
    for name, value in item.items():
        if name == "code":
            continue
        if isinstance(value, dict):
            values[name] = _reason_from_json(value, depth + 1)
        elif isinstance(value, str):
            values[name] = _text(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            values[name] = value
        else:
            raise Unreadable(repr(value))
    if set(values) != set(_PLACE.findall(code.text)):
        raise Unreadable(f"{code.value} with {sorted(values)}")
    return Reason(code, values)


def _from_json(item: object) -> Given:
    if isinstance(item, str):
        return _text(item)
    if isinstance(item, dict):
        return _reason_from_json(item)
    raise Unreadable(repr(item))


def decode(data: str | None, line: str) -> tuple[Given, ...]:
    """The reasons stored as ``data`` (see :func:`encode`) beside the English
    ``line``; the line itself, as own words, when there is no data (free
    text, rows older than reason codes) or it cannot be read."""
    if data:
        try:
            items = json.loads(data)
            if isinstance(items, list):
                return tuple(_from_json(item) for item in items)
        # Not JSON, nested past what the parser takes, or Unreadable.
        except (ValueError, RecursionError):
            pass
    return (line,) if line else ()


def _scrub_reason(reason: Reason, rewrite: Callable[[str], str]) -> Reason:
    def each(value: Value) -> Value:
        if isinstance(value, Reason):
            return _scrub_reason(value, rewrite)
        return rewrite(value) if isinstance(value, str) else value

    return Reason(reason.code, {name: each(value) for name, value in reason.values.items()})


def scrub(reasons: Sequence[Given], rewrite: Callable[[str], str]) -> tuple[Given, ...]:
    """``reasons`` with ``rewrite`` applied to every text in them (own
    words, words, the texts of nested reasons): for erasing a person."""
    return tuple(rewrite(r) if isinstance(r, str) else _scrub_reason(r, rewrite) for r in reasons)
