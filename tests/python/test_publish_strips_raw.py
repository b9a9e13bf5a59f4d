"""A published file holds no view that reads the raw files (erasure and portability)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from livewh.publish import strip_raw_views


def test_raw_views_are_dropped_and_the_file_list_kept(tmp_path: Path) -> None:
    raw_file = tmp_path / "customers.csv"
    raw_file.write_text("customer_id\nerased_account\n", encoding="utf-8")
    candidate = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(candidate)) as connection:
        connection.execute("create schema raw")
        connection.execute(f"create view raw.customers as select * from read_csv('{raw_file}')")
        connection.execute("create table raw.raw_files as select 'customers' as table_name")
        connection.execute("create schema staging")
        connection.execute("create view staging.stg_shop__customers as select customer_id from raw.customers")
        connection.execute("create table main.kept as select 1 as x")
        assert connection.execute("select count(*) from raw.customers").fetchone()[0] == 1

    assert strip_raw_views(candidate) == ["staging.stg_shop__customers", "raw.customers"]

    with duckdb.connect(str(candidate), read_only=True) as connection:
        views = connection.execute(
            "select count(*) from duckdb_views() where not internal and schema_name in ('raw', 'staging')"
        ).fetchone()[0]
        tables = {row[0] for row in connection.execute("select table_name from duckdb_tables()").fetchall()}
    assert views == 0
    assert {"raw_files", "kept"} <= tables
