"""Make great-expectations' SQL datasource work on DuckDB: buffer results before the connection closes.

The problem (great-expectations 1.24, SQLAlchemy 2.0, duckdb-engine 0.17): GE computes every
metric with ``SqlAlchemyExecutionEngine.execute_query``, which runs the query inside
``with engine.connect() as connection:`` and returns the still-unfetched ``CursorResult``. The
rows are fetched after the ``with`` block, when the connection has been closed; closing a
duckdb-engine connection rolls back its transaction, which discards the pending DuckDB result.
So every metric comes back empty (``observed_value`` None, ``unexpected_count`` None) and every
expectation fails with no explanation. The same happens with plain SQLAlchemy::

    with engine.connect() as connection:
        result = connection.execute(text("select 1"))
    result.fetchall()  # [] on duckdb-engine

The fix: an ``after_cursor_execute`` event that, for DuckDB connections only, fetches all rows
while the connection is still open and hands SQLAlchemy a fully buffered result
(``FullyBufferedCursorFetchStrategy``, the strategy SQLAlchemy itself uses for buffered results).
The ``CursorResult`` built from it no longer depends on the cursor, so fetching after the close
returns the rows. GE's metric queries return aggregates or a few sample rows, so buffering costs
next to nothing; the data itself stays in DuckDB.

The listener is installed on SQLAlchemy's ``Engine`` class (GE creates its engines internally,
more than one per datasource) for the duration of :func:`duckdb_result_buffering` only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.engine.cursor import FullyBufferedCursorFetchStrategy
from sqlalchemy.engine.interfaces import DBAPICursor, ExecutionContext

EVENT = "after_cursor_execute"


def buffer_duckdb_result(
    conn: Connection,
    cursor: DBAPICursor,
    statement: str,
    parameters: Any,
    context: ExecutionContext,
    executemany: bool,
) -> None:
    """SQLAlchemy event hook: fetch a DuckDB result now, while its connection is open."""
    if conn.dialect.name != "duckdb" or cursor.description is None:
        return
    rows = cursor.fetchall()
    context.cursor_fetch_strategy = FullyBufferedCursorFetchStrategy(  # type: ignore[attr-defined]
        cursor, cursor.description, rows
    )


def install() -> None:
    """Buffer DuckDB results for every SQLAlchemy engine in this process (idempotent)."""
    if not event.contains(Engine, EVENT, buffer_duckdb_result):
        event.listen(Engine, EVENT, buffer_duckdb_result)


def uninstall() -> None:
    """Remove the listener again (idempotent)."""
    if event.contains(Engine, EVENT, buffer_duckdb_result):
        event.remove(Engine, EVENT, buffer_duckdb_result)


@contextmanager
def duckdb_result_buffering() -> Iterator[None]:
    """Buffer DuckDB results inside the block, restoring the previous state after it."""
    was_installed = event.contains(Engine, EVENT, buffer_duckdb_result)
    install()
    try:
        yield
    finally:
        if not was_installed:
            uninstall()
