"""The dbt semantic layer: `mf validate-configs` passes on the demo warehouse, and `mf query`
results (through `livewh metrics`, read-only) equal the marts' own figures.
"""

from __future__ import annotations

import csv
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import pytest

from conftest import DemoWarehouse
from livewh import semantic

TOLERANCE = 1e-6


@pytest.fixture(scope="module")
def scratch(demo_warehouse: DemoWarehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scratch project folder, parsed once (dbt parse writes target/semantic_manifest.json)."""
    folder = semantic.prepare_project(tmp_path_factory.mktemp("semantic"))
    semantic.parse_project(folder, demo_warehouse.published)
    return folder


QUERIES = {
    "monthly": (
        "net_gmv_usd,orders,buyers,repeat_buyer_rate_monthly,first_time_buyers,repurchase_rate_30d,"
        "censored_buyers_30d",
        "metric_time__month",
    ),
    "channel": ("repurchase_rate_90d,eligible_buyers_90d,repurchasers_90d", "customer__acquisition_channel"),
    "hosts": ("live_conversion_rate,live_viewers,live_gmv_net_usd", "live_session__host,metric_time__month"),
    "retention": ("retention_rate", "metric_time__month,retention_cell__months_since_first_purchase"),
    "segments": ("segment_size", "customer__lifecycle_stage"),
}


@pytest.fixture(scope="module")
def results(demo_warehouse: DemoWarehouse, scratch: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Every query of QUERIES through `mf query --csv`, a few at a time."""
    folder = tmp_path_factory.mktemp("mf")

    def run(name: str) -> tuple[str, list[dict[str, str]]]:
        metrics, group_by = QUERIES[name]
        out = folder / f"{name}.csv"
        completed = semantic.query(
            demo_warehouse.published,
            ["query", "--metrics", metrics, "--group-by", group_by, "--csv", str(out)],
            scratch,
        )
        assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
        with out.open(newline="", encoding="utf-8") as handle:
            return name, list(csv.DictReader(handle))

    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(pool.map(run, QUERIES))


def rows(db: Path, sql: str) -> list[dict[str, Any]]:
    with duckdb.connect(str(db), read_only=True) as connection:
        cursor = connection.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def number(text: str) -> float | None:
    return None if text in ("", "None", "nan") else float(text)


def close(actual: str, expected: Any) -> bool:
    value = number(actual)
    if expected is None:
        return value is None
    return value is not None and abs(value - float(expected)) <= TOLERANCE * max(1.0, abs(float(expected)))


def test_validate_configs_passes(demo_warehouse: DemoWarehouse, scratch: Path) -> None:
    completed = semantic.query(demo_warehouse.published, ["validate-configs"], scratch)
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-3000:]
    assert "ERRORS: 0" in output
    assert "against data warehouse" in output


def test_monthly_metrics_equal_the_repurchase_marts(demo_warehouse: DemoWarehouse, results: dict) -> None:
    by_month = {row["metric_time__month"][:10]: row for row in results["monthly"]}
    months = rows(
        demo_warehouse.published,
        "select cast(period_start_date as varchar) as month, net_usd, orders, buyers, repeat_buyer_rate "
        "from main.rpt_repeat_buyer_rate where period_grain = 'month' and buyers > 0",
    )
    assert len(months) >= 12
    for month in months:
        row = by_month[month["month"]]
        assert close(row["net_gmv_usd"], month["net_usd"]), (month, row)
        assert close(row["orders"], month["orders"]), (month, row)
        assert close(row["buyers"], month["buyers"]), (month, row)
        assert close(row["repeat_buyer_rate_monthly"], month["repeat_buyer_rate"]), (month, row)
    cohorts = rows(
        demo_warehouse.published,
        "select cast(cohort_start_date as varchar) as month, cohort_size, repurchase_rate, "
        "censored_customers "
        "from main.fct_cohort_repurchase where cohort_grain = 'month' and window_days = 30",
    )
    for cohort in cohorts:
        row = by_month[cohort["month"]]
        assert close(row["first_time_buyers"], cohort["cohort_size"]), (cohort, row)
        assert close(row["repurchase_rate_30d"], cohort["repurchase_rate"]), (cohort, row)
        assert close(row["censored_buyers_30d"], cohort["censored_customers"]), (cohort, row)


def test_90_day_repurchase_by_acquisition_channel_equals_the_mart(
    demo_warehouse: DemoWarehouse, results: dict
) -> None:
    by_channel = {row["customer__acquisition_channel"]: row for row in results["channel"]}
    expected = rows(
        demo_warehouse.published,
        "select dimension_value, eligible_customers, repurchasers, repurchase_rate "
        "from main.rpt_repurchase_by_dimension where dimension = 'acquisition_channel' and window_days = 90",
    )
    assert {row["dimension_value"] for row in expected} == set(by_channel)
    for mart in expected:
        row = by_channel[mart["dimension_value"]]
        assert close(row["eligible_buyers_90d"], mart["eligible_customers"]), (mart, row)
        assert close(row["repurchasers_90d"], mart["repurchasers"]), (mart, row)
        assert close(row["repurchase_rate_90d"], mart["repurchase_rate"]), (mart, row)


def test_live_conversion_by_host_and_month_equals_the_hosts_mart(
    demo_warehouse: DemoWarehouse, results: dict
) -> None:
    by_key = {(row["live_session__host"], row["metric_time__month"][:10]): row for row in results["hosts"]}
    expected = rows(
        demo_warehouse.published,
        "select host_id, cast(start_month_local as varchar) as month, viewers, conversion_rate, gmv_net_usd "
        "from main.rpt_live_hosts",
    )
    assert expected and len(expected) == len(by_key)
    for mart in expected:
        row = by_key[(mart["host_id"], mart["month"])]
        assert close(row["live_viewers"], mart["viewers"]), (mart, row)
        assert close(row["live_conversion_rate"], mart["conversion_rate"]), (mart, row)
        assert close(row["live_gmv_net_usd"], mart["gmv_net_usd"]), (mart, row)


def test_retention_equals_the_complete_cells_of_the_matrix(
    demo_warehouse: DemoWarehouse, results: dict
) -> None:
    by_cell = {
        (row["metric_time__month"][:10], int(row["retention_cell__months_since_first_purchase"])): row
        for row in results["retention"]
    }
    cells = rows(
        demo_warehouse.published,
        "select cast(cohort_month as varchar) as month, months_since_first_purchase as k, is_complete, "
        "retention_rate from main.fct_cohort_retention",
    )
    complete = [cell for cell in cells if cell["is_complete"]]
    assert complete and any(not cell["is_complete"] for cell in cells)
    for cell in cells:
        row = by_cell[(cell["month"], cell["k"])]
        # an open month is in neither numerator nor denominator: no rate, never a zero
        assert close(row["retention_rate"], cell["retention_rate"] if cell["is_complete"] else None), (
            cell,
            row,
        )


def test_segment_sizes_equal_the_segment_summary(demo_warehouse: DemoWarehouse, results: dict) -> None:
    sizes = {row["customer__lifecycle_stage"]: number(row["segment_size"]) for row in results["segments"]}
    expected = rows(
        demo_warehouse.published,
        """
        select segment, people from main.rpt_segment_summary
        where period_type = 'month' and segment_type = 'lifecycle_stage' and people > 0
            and period_end_date = (select max(as_of_date) from main.dim_customer_segments)
        """,
    )
    assert expected
    assert sizes == {row["segment"]: float(row["people"]) for row in expected}
