"""Keyset pagination: a page starts after (or ends before) the last row seen,
so page 100 costs what page 1 does. Pure: imports no Flask."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import ColumnElement, ColumnExpressionArgument, and_, or_

if TYPE_CHECKING:
    from .models import Comment

# What encode() writes: a naive ISO time, "_" and an id in ASCII digits.
_CURSOR = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{6})?)_([0-9]{1,10})", re.ASCII)
# What every supported database holds: MySQL's DATETIME starts at year 1000,
# and PostgreSQL's integer ends at 2**31 - 1 (SQLite's at 2**63 - 1).
MIN_YEAR = 1000
MAX_ID = 2**31 - 1


class Dated(Protocol):
    """A row with a place in (creation time, id) order."""

    @property
    def created_at(self) -> datetime: ...
    @property
    def id(self) -> int: ...


class CursorError(ValueError):
    """A page position that this site did not hand out."""


@dataclass(frozen=True)
class Cursor:
    """A row's place in (creation time, id) order."""

    created_at: datetime
    id: int

    def encode(self) -> str:
        return f"{self.created_at.isoformat()}_{self.id}"

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """The cursor ``text`` spells, as :meth:`encode` wrote it.

        :raises CursorError: for anything else, and for times and ids no
            database of the forum's can compare against.
        """
        found = _CURSOR.fullmatch(text) if isinstance(text, str) else None
        try:
            if found is None:
                raise ValueError(text)
            moment, row_id = datetime.fromisoformat(found.group(1)), int(found.group(2))
            if moment.year < MIN_YEAR or not 1 <= row_id <= MAX_ID:
                raise ValueError(text)
        except ValueError:
            raise CursorError(f"{str(text)[:100]!r} is not a page of this list.") from None
        return cls(moment, row_id)

    @classmethod
    def of(cls, row: Dated) -> Cursor:
        return cls(row.created_at, row.id)


def beyond(model: type[Comment], cursor: Cursor, descending: bool) -> ColumnElement[bool]:
    """Rows after ``cursor`` in (created_at, id) order, or before it when ``descending``."""
    if descending:
        return or_(
            model.created_at < cursor.created_at, and_(model.created_at == cursor.created_at, model.id < cursor.id)
        )
    return or_(model.created_at > cursor.created_at, and_(model.created_at == cursor.created_at, model.id > cursor.id))


def ordering(
    model: type[Comment], descending: bool
) -> tuple[ColumnExpressionArgument[datetime], ColumnExpressionArgument[int]]:
    return (model.created_at.desc(), model.id.desc()) if descending else (model.created_at, model.id)
