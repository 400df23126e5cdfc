"""Finding text in any letter case, on every database alike.

``lower(column) = 'zÜri@…'.lower()`` misses rows on SQLite, whose ``lower()``
folds only the ASCII letters: "ZÜRI@Example.org" becomes "zÜri@example.org"
there, not "züri@example.org". :func:`case_blind` is a SQL test that is true
wherever the text is, in any case, on SQLite, PostgreSQL and MariaDB alike
(and on a few rows more); :func:`same_text` then says, in Python, which
rows really match (a caller rewriting text checks with its own pattern). Pure.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import ColumnExpressionArgument, func
from sqlalchemy.sql.elements import ColumnElement

_ESCAPE = "\\"
_OTHER_CASES_BEYOND_ASCII = "iks"


def escape_like(text: str) -> str:
    """``text`` matched literally by LIKE ... ESCAPE '\\': its "%", "_" and "\\" escaped."""
    return text.replace(_ESCAPE, _ESCAPE * 2).replace("%", _ESCAPE + "%").replace("_", _ESCAPE + "_")


def _pattern(text: str) -> str:
    """A LIKE pattern for ``text`` in lower case: ASCII as itself, escaped,
    a letter of a script without case (Thai, Chinese) as itself, any other
    character as "%", whatever the database made of it (SQLite keeps "Ü";
    "İ" lower-cases to "i" and a combining dot), and "i", "k" and "s" as
    "_", since their other cases ("İ", the Kelvin sign, "ſ") are not ASCII."""
    out: list[str] = []
    for ch in text:
        if not ch.isascii() and unicodedata.category(ch) != "Lo":
            if not out or out[-1] != "%":
                out.append("%")
            continue
        ch = ch.lower()
        out.append("_" if ch in _OTHER_CASES_BEYOND_ASCII else escape_like(ch))
    return "".join(out)


def case_blind(
    column: ColumnExpressionArgument[str | None], text: str, *, anywhere: bool = False
) -> ColumnElement[bool]:
    """True at least for every row whose ``column`` equals ``text`` (or, with
    ``anywhere``, holds it) in any letter case; check the rows in Python."""
    pattern = _pattern(text)
    if anywhere:
        pattern = f"%{pattern}%"
    return func.lower(column).like(pattern, escape=_ESCAPE)


def same_text(value: str | None, text: str) -> bool:
    return value is not None and value.lower() == text.lower()
