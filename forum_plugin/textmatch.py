"""Finding text in any letter case, on every database alike.

``lower(column) = 'zÜri@…'.lower()`` misses rows on SQLite, whose ``lower()``
folds only the ASCII letters: "ZÜRI@Example.org" becomes "zÜri@example.org"
there, not "züri@example.org". :func:`case_blind` is a SQL test that is true
wherever the text is, in any case, on SQLite, PostgreSQL and MariaDB alike
(and on a few rows more); :func:`same_text` and :func:`holds_text` then say,
in Python, which rows really match. Pure.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement

_ESCAPE = "\\"


def _pattern(text: str) -> str:
    """A LIKE pattern for ``text`` in lower case: a letter outside ASCII that
    has an upper case as "_" (one character, whichever case the database
    kept), anything else as itself, escaped (Thai or Chinese text has no case)."""
    out = []
    for ch in text.lower():
        if not ch.isascii() and ch.upper() != ch.lower():
            out.append("_")
        elif ch in "%_" + _ESCAPE:
            out.append(_ESCAPE + ch)
        else:
            out.append(ch)
    return "".join(out)


def case_blind(column, text: str, *, anywhere: bool = False) -> ColumnElement[bool]:
    """True at least for every row whose ``column`` equals ``text`` (or, with
    ``anywhere``, holds it) in any letter case; check the rows in Python."""
    pattern = _pattern(text)
    if anywhere:
        pattern = f"%{pattern}%"
    return func.lower(column).like(pattern, escape=_ESCAPE)


def same_text(value: str | None, text: str) -> bool:
    return value is not None and value.lower() == text.lower()


def holds_text(value: str | None, text: str) -> bool:
    return value is not None and text.lower() in value.lower()
