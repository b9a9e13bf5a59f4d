"""The buffering fix that makes great-expectations' SQL datasource work with duckdb-engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from livewh.quality import engine as buffering


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    path = tmp_path / "small.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "create table main.numbers as select range as id, range % 3 as remainder from range(10)"
        )
    return path


def _rows_after_close(path: Path) -> list[Any]:
    engine = sa.create_engine(f"duckdb:///{path}", connect_args={"read_only": True})
    try:
        with engine.connect() as connection:
            result = connection.execute(sa.text("select id from main.numbers order by id"))
        return list(result.fetchall())  # fetched after the connection closed, as GE does
    finally:
        engine.dispose()


def test_without_buffering_rows_fetched_after_close_are_lost(small_db: Path) -> None:
    # Documents the upstream behaviour the fix exists for. If this starts failing after an
    # upgrade of duckdb-engine or SQLAlchemy, the buffering may no longer be needed.
    assert _rows_after_close(small_db) == []


def test_with_buffering_rows_survive_the_close(small_db: Path) -> None:
    with buffering.duckdb_result_buffering():
        rows = _rows_after_close(small_db)
    assert [row[0] for row in rows] == list(range(10))


def test_buffering_is_scoped_and_idempotent() -> None:
    assert not event.contains(Engine, buffering.EVENT, buffering.buffer_duckdb_result)
    with buffering.duckdb_result_buffering(), buffering.duckdb_result_buffering():
        assert event.contains(Engine, buffering.EVENT, buffering.buffer_duckdb_result)
    assert not event.contains(Engine, buffering.EVENT, buffering.buffer_duckdb_result)


def test_buffering_leaves_statements_without_results_alone(small_db: Path) -> None:
    engine = sa.create_engine(f"duckdb:///{small_db}")
    with buffering.duckdb_result_buffering(), engine.begin() as connection:
        connection.execute(sa.text("create table main.other (value integer)"))
        connection.execute(sa.text("insert into main.other values (1), (2)"))
        assert connection.execute(sa.text("select sum(value) from main.other")).scalar() == 3
    engine.dispose()


def _validate_with_ge(path: Path) -> dict[str, Any]:
    import great_expectations as gx
    import great_expectations.expectations as gxe

    context = gx.get_context(mode="ephemeral")
    source = context.data_sources.add_sql(
        name="small", connection_string=f"duckdb:///{path}", kwargs={"connect_args": {"read_only": True}}
    )
    batch = source.add_query_asset(name="numbers", query="select * from main.numbers")
    definition = batch.add_batch_definition_whole_table("all")
    suite = gx.ExpectationSuite(name="numbers")
    suite.add_expectation(gxe.ExpectTableRowCountToBeBetween(min_value=1))
    suite.add_expectation(gxe.ExpectColumnValuesToBeBetween(column="remainder", min_value=0, max_value=1))
    result = definition.get_batch().validate(suite, result_format="SUMMARY")
    by_type = {item.expectation_config.type: item for item in result.results}
    observed = {
        "row_count": by_type["expect_table_row_count_to_be_between"].result.get("observed_value"),
        "unexpected": by_type["expect_column_values_to_be_between"].result.get("unexpected_count"),
        "samples": by_type["expect_column_values_to_be_between"].result.get("partial_unexpected_list"),
    }
    source.get_execution_engine().engine.dispose()
    source.get_engine().dispose()
    return observed


def test_great_expectations_metrics_are_empty_without_the_fix(small_db: Path) -> None:
    observed = _validate_with_ge(small_db)
    assert observed["row_count"] is None and observed["unexpected"] is None


def test_great_expectations_metrics_come_back_with_the_fix(small_db: Path) -> None:
    with buffering.duckdb_result_buffering():
        observed = _validate_with_ge(small_db)
    assert observed["row_count"] == 10
    assert observed["unexpected"] == 3  # remainders 2 at ids 2, 5, 8
    assert observed["samples"] == [2, 2, 2]
