"""What the write side asks of a statement beyond its result rows."""

from __future__ import annotations

from sqlalchemy import CursorResult, Executable
from sqlalchemy.orm import Session


def changed_rows(session: Session, statement: Executable) -> int:
    """Run an UPDATE or DELETE and say how many rows it matched."""
    result = session.execute(statement)
    if not isinstance(result, CursorResult):  # what every DML statement answers with
        raise TypeError(f"{statement} returned no row count")
    count: int = result.rowcount
    return count
