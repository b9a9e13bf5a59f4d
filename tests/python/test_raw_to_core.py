"""End-to-end checks of the raw reader, quarantine and identity stitching on generated data.

Each case generates a small shop with deliberately bad rows, builds the staging, quality and
identity models with dbt into a throw-away DuckDB file, and compares the warehouse with the
generator's own records of what it planted (``_bad_rows.csv``, ``_truth_persons.csv``).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest

from conftest import dbt_build
from livewh.dbt_runner import run_dbt
from livewh.generate import GenerateConfig, generate

SELECTION = ["+fct_quarantined_rows", "+rpt_raw_reconciliation", "+rpt_identity_merges", "+fct_orders"]


@pytest.fixture(scope="module", params=["csv", "parquet"])
def built_shop(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp(f"shop_{request.param}")
    raw_dir = work / "raw"
    generate(
        GenerateConfig(
            out=raw_dir,
            customers=800,
            days=240,
            start_date=date(2025, 1, 1),
            seed=11,
            format=request.param,
            bad_row_rate=0.04,
            hosts=6,
            products=40,
            progress=False,
        )
    )
    db_path = work / "warehouse.duckdb"
    dbt_build(raw_dir, db_path, work, select=SELECTION)
    return {"raw": raw_dir, "db": db_path, "work": work}


def read_manifest(path: Path) -> set[tuple[str, int, str]]:
    with path.open(encoding="utf-8") as handle:
        return {(row["table"], int(row["row_number"]), row["reason"]) for row in csv.DictReader(handle)}


def test_every_injected_bad_row_is_quarantined_with_its_reason(built_shop: dict[str, Path]) -> None:
    planted = read_manifest(built_shop["raw"] / "_bad_rows.csv")
    assert len(planted) > 20, "the generator should have planted bad rows"
    with duckdb.connect(str(built_shop["db"]), read_only=True) as connection:
        quarantined = connection.sql(
            "select table_name, raw_row_number, quarantine_reason from main.fct_quarantined_rows"
        ).fetchall()
    found = {row for row in quarantined if row[2] != "erased"}
    erased = {(table, row_number) for table, row_number, reason in quarantined if reason == "erased"}
    # erasure wins over any other reason: a bad row of an erased person is counted as erased
    missed = {row for row in planted - found if (row[0], row[1]) not in erased}
    assert not missed, sorted(missed)[:10]
    assert found <= planted, sorted(found - planted)[:10]
    assert len(planted - found) < len(planted) / 10


def test_counts_reconcile_with_the_raw_files(built_shop: dict[str, Path]) -> None:
    with duckdb.connect(str(built_shop["db"]), read_only=True) as connection:
        rows = connection.sql(
            "select table_name, file_name, raw_rows, accepted_rows, quarantined_rows, erased_rows "
            "from main.rpt_raw_reconciliation where is_present"
        ).fetchall()
        assert {row[0] for row in rows} >= {"customers", "orders", "live_events", "order_items"}
        for table, file_name, raw_rows, accepted, quarantined, erased in rows:
            file_path = str(built_shop["raw"] / file_name)
            assert raw_rows == accepted + quarantined + erased, table
            reader = "read_parquet" if file_path.endswith(".parquet") else "read_csv"
            options = ", all_varchar = true" if reader == "read_csv" else ""
            in_file = connection.execute(f"select count(*) from {reader}('{file_path}'{options})").fetchone()
            assert in_file[0] == raw_rows, table


def test_identity_stitching_recovers_the_true_persons(built_shop: dict[str, Path]) -> None:
    with duckdb.connect(str(built_shop["db"]), read_only=True) as connection:
        truth = built_shop["raw"] / "_truth_persons.csv"
        mismatches = connection.execute(f"""
            with truth as (select * from read_csv('{truth}', all_varchar = true)),
            joined as (
                select merges.customer_key, truth.person_id
                from main.rpt_identity_merges as merges
                inner join truth on merges.customer_id = truth.customer_id
            )
            select
                (select count(*) from (select customer_key from joined group by 1
                                       having count(distinct person_id) > 1)) as over_merged,
                (select count(*) from (select person_id from joined group by 1
                                       having count(distinct customer_key) > 1)) as split,
                (select count(*) from joined) as accounts,
                (select count(distinct customer_key) from joined) as persons
        """).fetchone()
    over_merged, split, accounts, persons = mismatches
    assert accounts > 700
    assert persons < accounts, "some accounts should have been stitched together"
    assert (over_merged, split) == (0, 0)


def test_the_staging_unit_tests_run_whatever_the_raw_format(built_shop: dict[str, Path]) -> None:
    # dbt types a unit test's source fixture like the live raw view: typed Parquet columns once
    # made the staging unit tests fail to build their fixtures, and with them every dbt build
    run = run_dbt(
        ["test", "--select", "test_type:unit,stg_shop__orders", "test_type:unit,stg_shop__customers"],
        db_path=built_shop["db"],
        raw_dir=built_shop["raw"],
        as_of=None,
        work_dir=built_shop["work"] / "unit-tests",
    )
    assert run.ok, run.explain()
    assert run.node_counts.get("PASS") == 2 and not {"ERROR", "FAIL"} & set(run.node_counts), run.node_counts
