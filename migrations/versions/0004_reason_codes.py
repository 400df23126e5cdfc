"""Reason codes: the reasons of comments and audit entries kept as codes and values beside their English line.

The English lines written so far are read back with the parser the forum
used to translate them at display time (frozen here as release 0003 had
it), and stored as JSON in the new ``reason_data`` columns wherever the
forum wrote them; a host rule's or a moderator's own words stay text only.
The audit log's own entries (bans, word lists, erases, imports) read like
anyone's words ("email: abuse"), so they are read by the action of their
row (an imported comment: by its origin). A line is converted only when
the JSON gives back exactly the same line.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-09
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Each table with reasons, and the column of its English line.
REASON_LINES = {"forum_comments": "moderation_reason", "forum_moderation_events": "reason"}
ROWS_AT_ONCE = 500

# The texts as release 0003 stored them.
MODERATOR_AUTHOR = "author is a moderator"
BANNED_AUTHOR = "banned %(kind)s"
BANNED_AUTHOR_BECAUSE = "banned %(kind)s: %(reason)s"
KEPT_AS_SPAM = "%(reason)s (kept silently as spam)"
BANNED_WORD = "banned word: %(word)s"
DUPLICATE = "duplicate of a comment by the same author in the last 10 minutes"
TRUSTED_AUTHOR = "trusted: %(approved)s approved comments, none rejected in %(days)s days"
HELD_BECAUSE = "held: %(reason)s"
TOO_MANY_LINKS = "%(links)s links, limit %(limit)s"
SUSPECT_WORD = "suspect word %(word)s"
EVERY_COMMENT_REVIEWED = "every comment is reviewed first"
POST_MODERATION = "published: post-moderation"
REPORTED = "reported by %(count)s readers"
DELETED_BY_AUTHOR = "deleted by the author"

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


def _pattern(text: str) -> re.Pattern[str]:
    parts = _VALUE.split(text)
    # split() alternates literal text and value names.
    return re.compile(
        "".join(re.escape(part) if n % 2 == 0 else f"(?P<{part}>.+?)" for n, part in enumerate(parts)),
        re.DOTALL,
    )


_PATTERNS = {text: _pattern(text) for text in TEXTS}


def parse(stored: str) -> tuple[str, dict[str, str]] | None:
    """The text ``stored`` was written from and its values, or None when the
    forum did not write it."""
    for text in TEXTS:
        found = _PATTERNS[text].fullmatch(stored)
        if found:
            return text, found.groupdict()
    return None


# The code each text became, and the values the text had written out.
CODES = {
    MODERATOR_AUTHOR: "moderator_author",
    BANNED_AUTHOR: "banned_author",
    BANNED_AUTHOR_BECAUSE: "banned_author_because",
    KEPT_AS_SPAM: "kept_as_spam",
    BANNED_WORD: "banned_word",
    DUPLICATE: "duplicate",
    TRUSTED_AUTHOR: "trusted_author",
    HELD_BECAUSE: "held",
    TOO_MANY_LINKS: "too_many_links",
    SUSPECT_WORD: "suspect_word",
    EVERY_COMMENT_REVIEWED: "every_comment_reviewed",
    POST_MODERATION: "post_moderation",
    REPORTED: "reported",
    DELETED_BY_AUTHOR: "deleted_by_author",
}
FIXED_VALUES: dict[str, dict[str, Any]] = {DUPLICATE: {"minutes": 10}}
# Written around another line: the comment's own reasons, or the moderator's.
EDITED_BY_AUTHOR = ("edited by the author; ", {"code": "edited_by_author"})
CLEARED_REPORTS = re.compile(r"(?:(?P<reason>.+); )?cleared (?P<count>\d+) reports", re.DOTALL)
TEXT_EDITED = ("text edited", {"code": "text_edited"})
NUMBERS = frozenset(
    {"approved", "days", "links", "limit", "count", "comments", "revisions", "events", "reports", "bans"}
    | {"mail_addresses", "quotes"}
)

# The audit log's own entries, by the action of their row.
BAN_ACTIONS = frozenset({"ban", "lift ban"})
BAN_KINDS = frozenset({"email", "domain", "account", "ip"})
WORD_ACTIONS = frozenset({"add word", "remove word"})
WORD_LISTS = frozenset({"banned", "suspect"})
ERASED = {
    "erased at the author's request": {"code": "erased_on_request"},
    "erased at the author's request, text removed": {"code": "erased_text_removed"},
}
ERASED_COUNTS_TEXT = (
    "%(comments)s comments, %(revisions)s revisions, %(events)s audit entries, %(reports)s reports, "
    "%(bans)s bans, %(mail_addresses)s mail addresses, %(quotes)s texts quoting them"
)
PERSON_ERASED_TEXT = "a person's data erased on request: %(erased)s"
PERSON_ERASED = _pattern(PERSON_ERASED_TEXT % {"erased": ERASED_COUNTS_TEXT})
IMPORTED_TEXT = "imported from %(source)s"
IMPORTED = _pattern(IMPORTED_TEXT)
# Codes whose "reason" is another reason (else it is a moderator's words).
WRAPPING = frozenset({"held", "kept_as_spam"})


class Unread(ValueError):
    """A value that is not what the forum wrote there."""


def _encodable(text: str) -> bool:
    """Whether ``text`` can be stored and shown (no lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _value(code: str, name: str, text: str) -> Any:
    if name in NUMBERS:
        if not text.isdigit():
            raise Unread(text)
        return int(text)
    if name == "word":
        try:
            word = ast.literal_eval(text)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            raise Unread(text) from None
        if not isinstance(word, str) or not _encodable(word):
            raise Unread(text)
        return word
    if name == "reason" and code in WRAPPING:
        return _one(text)
    return text


def _one(line: str) -> Any:
    """One reason as JSON data: a dict for what the forum wrote, else the line."""
    found = parse(line)
    if found is None:
        return TEXT_EDITED[1] if line == TEXT_EDITED[0] else line
    text, values = found
    code = CODES[text]
    try:
        converted = {name: _value(code, name, value) for name, value in values.items()}
    except Unread:
        return line
    return {"code": code, **FIXED_VALUES.get(text, {}), **converted}


def _entry(action: str | None, line: str) -> Any:
    """The audit log's own entry ``line`` of an ``action`` row as JSON data; None when it is none."""
    if action in BAN_ACTIONS:
        kind, because, reason = line.partition(": ")
        if kind in BAN_KINDS:
            return (
                {"code": "ban_kind_because", "ban_kind": kind, "reason": reason}
                if because
                else {
                    "code": "ban_kind",
                    "ban_kind": kind,
                }
            )
    elif action in WORD_ACTIONS:
        word_list, _, phrase = line.partition(": ")
        if word_list in WORD_LISTS:
            return {"code": "listed_word", "word_list": word_list, "phrase": phrase}
    elif action == "erase":
        counts = PERSON_ERASED.fullmatch(line)
        if counts:
            erased = {"code": "erased_counts", **{name: _value("", name, n) for name, n in counts.groupdict().items()}}
            return {"code": "person_erased", "erased": erased}
        return ERASED.get(line)
    elif action == "import":
        imported = IMPORTED.fullmatch(line)
        if imported:
            return {"code": "imported", "source": imported["source"]}
    return None


def _reasons(line: str, action: str | None = None) -> list[Any]:
    try:
        entry = _entry(action, line)
    except Unread:
        entry = None
    if entry is not None:
        return [entry]
    if line.startswith(EDITED_BY_AUTHOR[0]):
        return [EDITED_BY_AUTHOR[1], _one(line.removeprefix(EDITED_BY_AUTHOR[0]))]
    cleared = CLEARED_REPORTS.fullmatch(line)
    if cleared:
        before = [_one(cleared["reason"])] if cleared["reason"] else []
        return [*before, {"code": "cleared_reports", "count": int(cleared["count"])}]
    return [_one(line)]


_TEXT_OF = {code: text for text, code in CODES.items()} | {
    "duplicate": "duplicate of a comment by the same author in the last %(minutes)s minutes",
    "edited_by_author": "edited by the author",
    "cleared_reports": "cleared %(count)s reports",
    "text_edited": "text edited",
    "ban_kind": "%(ban_kind)s",
    "ban_kind_because": "%(ban_kind)s: %(reason)s",
    "listed_word": "%(word_list)s: %(phrase)s",
    "erased_on_request": "erased at the author's request",
    "erased_text_removed": "erased at the author's request, text removed",
    "person_erased": PERSON_ERASED_TEXT,
    "erased_counts": ERASED_COUNTS_TEXT,
    "imported": IMPORTED_TEXT,
}


def _english(reason: Any) -> str:
    if isinstance(reason, str):
        return reason
    values = {
        name: _english(value) if isinstance(value, dict) else repr(value) if name == "word" else value
        for name, value in reason.items()
        if name != "code"
    }
    return _TEXT_OF[reason["code"]] % values


def reason_data(line: str, action: str | None = None) -> str | None:
    """The JSON for a stored English line (of a row recording ``action``),
    as the forum now writes it; None when the forum did not write the line
    or the JSON would not give it back."""
    reasons = _reasons(line, action)
    if all(isinstance(reason, str) for reason in reasons) or "; ".join(map(_english, reasons)) != line:
        return None
    return json.dumps(reasons, ensure_ascii=False, separators=(",", ":"))


def _action(name: str) -> sa.ColumnElement[Any]:
    """What a row of table ``name`` records: an event its action, an imported comment "import"."""
    if name == "forum_moderation_events":
        return sa.column("action", sa.String())
    return sa.case((sa.column("origin", sa.String()).is_not(None), "import"), else_=sa.null())


def _convert(bind: sa.engine.Connection, name: str, line_column: str) -> None:
    """Give each row of table ``name`` the JSON for its line, some rows at a time."""
    rows = sa.table(name, sa.column("id", sa.Integer()), sa.column(line_column), sa.column("reason_data"))
    line = rows.c[line_column]
    fill = sa.update(rows).where(rows.c.id == sa.bindparam("row_id")).values(reason_data=sa.bindparam("data"))
    after = 0
    while True:
        batch = bind.execute(
            sa.select(rows.c.id, line, _action(name))
            .select_from(rows)
            .where(rows.c.id > after, line != "")
            .order_by(rows.c.id)
            .limit(ROWS_AT_ONCE)
        ).all()
        if not batch:
            return
        filled = [{"row_id": row_id, "data": reason_data(text, action)} for row_id, text, action in batch]
        filled = [row for row in filled if row["data"] is not None]
        if filled:
            bind.execute(fill, filled)
        after = batch[-1][0]


def upgrade() -> None:
    for name in REASON_LINES:
        with op.batch_alter_table(name) as batch_op:
            batch_op.add_column(sa.Column("reason_data", sa.Text(), nullable=True))
    for name, line_column in REASON_LINES.items():
        _convert(op.get_bind(), name, line_column)


def downgrade() -> None:
    for name in REASON_LINES:
        with op.batch_alter_table(name) as batch_op:
            batch_op.drop_column("reason_data")
