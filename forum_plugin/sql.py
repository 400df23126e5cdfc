"""What the forum asks of the database beyond what every supported
SQLAlchemy release offers in one call."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import CursorResult, Executable
from sqlalchemy.orm import Session

Row = TypeVar("Row")


def changed_rows(session: Session, statement: Executable) -> int:
    """Run an UPDATE or DELETE and say how many rows it matched."""
    result = session.execute(statement)
    if not isinstance(result, CursorResult):  # what every DML statement answers with
        raise TypeError(f"{statement} returned no row count")
    count: int = result.rowcount
    return count


def existing(session: Session, model: type[Row], row_id: int) -> Row:
    """The row of ``model`` a foreign key names, which must be there.

    (``Session.get_one`` says the same from SQLAlchemy 2.0.22 on; the forum
    supports older 2.0 releases.)
    """
    row = session.get(model, row_id)
    if row is None:
        raise LookupError(f"{model.__name__} #{row_id} is missing")
    return row
