"""Keyset pagination: a page starts after (or ends before) the last row seen,
so page 100 costs what page 1 does. Pure: imports no Flask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_


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
        moment, _, row_id = text.rpartition("_")
        try:
            return cls(datetime.fromisoformat(moment), int(row_id))
        except ValueError:
            raise CursorError(f"{text!r} is not a page of this list.") from None

    @classmethod
    def of(cls, row) -> Cursor:
        return cls(row.created_at, row.id)


def beyond(model, cursor: Cursor, descending: bool):
    """Rows after ``cursor`` in (created_at, id) order, or before it when ``descending``."""
    if descending:
        return or_(model.created_at < cursor.created_at, and_(model.created_at == cursor.created_at, model.id < cursor.id))
    return or_(model.created_at > cursor.created_at, and_(model.created_at == cursor.created_at, model.id > cursor.id))


def ordering(model, descending: bool):
    return (model.created_at.desc(), model.id.desc()) if descending else (model.created_at, model.id)
