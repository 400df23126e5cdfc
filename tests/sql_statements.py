"""Counting the SQL statements a block of code runs.

The suite checks that a page costs a fixed number of statements at any size
(a thread page three, the dashboard three or four); ``python -m benchmarks``
prints the same counts for large generated sites and imports this from here,
so the tests need nothing from ``benchmarks``.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from sqlalchemy import event
from sqlalchemy.engine import Engine


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements run on ``engine`` inside the block."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
