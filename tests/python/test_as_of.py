""" "As of" means as of: the observation end is checked before dbt runs, and nothing after it counts.

The definitions (metric-definitions.md, observation end): building with an earlier observation
end gives the same marts as building on the raw data cut at that date, and an observation end
before the first accepted order is a user mistake that stops the build.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from conftest import CliResult, build_models, write_csv
from livewh.build import check_as_of
from livewh.errors import LivewhError
from livewh.fingerprint import differences, fingerprints
from livewh.rawcheck import check_raw_folder, first_order_date

ORDERS_HEADER = ["order_id", "customer_id", "ordered_at", "currency", "order_total"]

# --- the pre-flight check ----------------------------------------------------------------------


def test_an_observation_end_before_the_first_order_stops_before_dbt(
    minimal_raw: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    published = tmp_path / "pub" / "warehouse.duckdb"
    result = run_cli("build", "--db", published, "--raw-dir", minimal_raw, "--as-of", "2025-01-31")
    assert result.code == 2
    assert "the observation end 2025-01-31 (--as-of / LIVEWH_AS_OF_DATE) is before the first order in" in (
        result.err
    )
    assert "(2025-02-01, UTC): nothing would be observed. Choose a date on or after 2025-02-01" in result.err
    assert "dbt build" not in result.err  # stopped before dbt (and before any build folder)
    assert not (tmp_path / "pub" / "build").exists()
    assert not published.exists()


def test_the_first_order_day_itself_is_a_valid_observation_end(minimal_raw: Path) -> None:
    report = check_raw_folder(minimal_raw)
    assert first_order_date(report) == date(2025, 2, 1)
    check_as_of(date(2025, 2, 1), report)  # no error
    with pytest.raises(LivewhError):
        check_as_of(date(2025, 1, 31), report)


def test_the_first_order_is_read_the_way_staging_reads_it(minimal_raw: Path) -> None:
    write_csv(
        minimal_raw / "orders.csv",
        ORDERS_HEADER,
        [
            ["1", "c1", "yesterday", "EUR", "1"],  # unparseable: quarantined, not an accepted order
            ["2", "", "2024-01-01T00:00:00Z", "EUR", "1"],  # no customer: quarantined
            ["", "c1", "2024-01-02T00:00:00Z", "EUR", "1"],  # no order id: quarantined
            ["6", "nobody", "2024-01-03T00:00:00Z", "EUR", "1"],  # unknown customer: quarantined
            ["7", "c1", "2024-01-04T00:00:00Z", "EUR", "-5"],  # negative total: quarantined
            ["8", "c1", "2024-01-05T00:00:00Z", "EUR", "twelve"],  # not a number: quarantined
            ["9", "c1", "2014-06-01T00:00:00Z", "EUR", "1"],  # before the ECB reference starts: no_fx_rate
            ["10", "c1", "2024-01-06T00:00:00Z", "QQQ", "1"],  # not a currency: quarantined
            ["3", "c1", "2025-03-01T01:30:00+03:00", "EUR", "1"],  # 2025-02-28 22:30 UTC
            ["4", "c1", "2025-03-01", "EUR", "1"],  # a date alone: midnight UTC
            ["5", "c1", " 2025-03-02T00:00:00 ", "EUR", "1"],  # padded, no offset = UTC
        ],
    )
    assert first_order_date(check_raw_folder(minimal_raw)) == date(2025, 2, 28)


def test_a_dollar_order_needs_no_rate_and_the_shops_own_rates_count(minimal_raw: Path) -> None:
    write_csv(
        minimal_raw / "orders.csv",
        ORDERS_HEADER,
        [["1", "c1", "2015-06-01T00:00:00Z", "USD", "1"], ["2", "c1", "2014-06-01T00:00:00Z", "NZD", "1"]],
    )
    assert first_order_date(check_raw_folder(minimal_raw)) == date(2015, 6, 1)
    rates = [["2014-05-28", "NZD", "0.6"]]
    write_csv(minimal_raw / "fx_rates.csv", ["rate_date", "currency", "usd_per_unit"], rates)
    assert first_order_date(check_raw_folder(minimal_raw)) == date(2014, 6, 1)  # 4 days old: in use


def test_the_first_order_of_a_parquet_file(minimal_raw: Path) -> None:
    with duckdb.connect() as connection:
        connection.execute(
            "copy (select '1' as order_id, 'c1' as customer_id, "
            "timestamptz '2025-04-01 23:30:00+00' as ordered_at, 'EUR' as currency, 9.5 as order_total) "
            f"to '{minimal_raw / 'orders.parquet'}'"
        )
    (minimal_raw / "orders.csv").unlink()
    assert first_order_date(check_raw_folder(minimal_raw)) == date(2025, 4, 1)


# --- the same marts from an earlier observation end and from the data cut there ------------------

#: A date inside the demo's 540 days (2025-01-01 .. 2026-06-24), after a third of its deletion
#: requests and before the rest, with cohorts whose 30/90/180-day windows are open and closed.
OBSERVATION_END = date(2025, 11, 30)
#: Each table's own timestamp: a row after the observation end is removed from the cut copy.
OWN_TIMESTAMP = {
    "orders": "ordered_at",
    "live_events": "event_at",
    "customers": "created_at",
    "live_sessions": "started_at",
    "refunds": "refunded_at",
    "stream_quality": "sampled_at",
    "customer_identifiers": "observed_at",
    "campaigns": "started_at",
    "campaign_messages": "sent_at",
    "memberships": "started_at",
}
#: Relations that are not "as of" figures but describe the raw files themselves (their rows,
#: positions and verdicts): the cut copy has fewer raw rows by construction.
RAW_FILE_REPORTS = ("fct_quarantined_rows", "rpt_raw_reconciliation", "warehouse_build_info")
CSV_OPTIONS = "header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"'"


def _after(column: str, end: str) -> str:
    """SQL: the row's own timestamp (as staging parses it) is after the observation end."""
    parsed = f"try_cast(nullif(trim({column}), '') as timestamptz)"
    return f"coalesce({parsed} >= timestamptz '{end} 00:00:00+00', false)"


def cut_raw_folder(source: Path, target: Path, observation_end: date) -> dict[str, tuple[int, int]]:
    """Copy a CSV raw folder without the rows after ``observation_end``; (rows before, after) per table.

    Removed: rows whose own timestamp (``OWN_TIMESTAMP``) is after the end; order lines of a
    removed order; identifiers without an ``observed_at`` of a removed customer. Kept whole:
    products and FX rates (no timestamp of their own), rows whose timestamp does not parse (they
    are not "after" anything), and deletion requests: erasure applies to every build whatever
    its observation end (an erased account must not come back in an earlier "as of" build), so
    the requests are not cut.
    """
    target.mkdir(parents=True)
    end = (observation_end + timedelta(days=1)).isoformat()

    def reader(table: str) -> str:
        return f"read_csv('{source / f'{table}.csv'}', {CSV_OPTIONS})"

    removed_orders = f"select order_id from {reader('orders')} where {_after('ordered_at', end)}"
    removed_customers = f"select customer_id from {reader('customers')} where {_after('created_at', end)}"
    keep = {table: f"not {_after(column, end)}" for table, column in OWN_TIMESTAMP.items()}
    keep["order_items"] = f"coalesce(order_id not in ({removed_orders} and order_id is not null), true)"
    keep["customer_identifiers"] += (
        f" and (nullif(trim(observed_at), '') is not null or coalesce(customer_id not in "
        f"({removed_customers} and customer_id is not null), true))"
    )
    counts: dict[str, tuple[int, int]] = {}
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")  # a timestamp without an offset is UTC
        for path in sorted(source.glob("*.csv")):
            table = path.stem
            if table not in keep:
                shutil.copy2(path, target / path.name)
                continue
            kept = f"select * from {reader(table)} where {keep[table]}"
            connection.execute(f"copy ({kept}) to '{target / path.name}' (header, delimiter ',')")
            (before,) = connection.execute(f"select count(*) from {reader(table)}").fetchone() or (0,)
            (after,) = connection.execute(f"select count(*) from ({kept})").fetchone() or (0,)
            counts[table] = (int(before), int(after))
    return counts


@pytest.fixture(scope="module")
def cut_demo_raw(demo_raw: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("demo-cut") / "raw"
    counts = cut_raw_folder(demo_raw, target, OBSERVATION_END)
    # the cut really removed rows after the end, from every table with a timestamp, and kept some
    assert all(0 < after < before for before, after in counts.values()), counts
    return target


def test_the_cut_copy_keeps_no_row_after_the_observation_end(cut_demo_raw: Path) -> None:
    end = (OBSERVATION_END + timedelta(days=1)).isoformat()
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        for table, column in OWN_TIMESTAMP.items():
            (late,) = connection.execute(
                f"select count(*) from read_csv('{cut_demo_raw / f'{table}.csv'}', {CSV_OPTIONS}) "
                f"where {_after(column, end)}"
            ).fetchone() or (0,)
            assert late == 0, table


def test_an_earlier_observation_end_gives_the_marts_of_the_data_cut_there(
    demo_raw: Path, cut_demo_raw: Path, tmp_path: Path
) -> None:
    as_of = OBSERVATION_END.isoformat()
    full = build_models(demo_raw, tmp_path / "full-data", as_of=as_of)
    cut = build_models(cut_demo_raw, tmp_path / "cut-data", as_of=as_of)
    first = fingerprints(full, exclude=RAW_FILE_REPORTS)
    second = fingerprints(cut, exclude=RAW_FILE_REPORTS)
    assert len(first) >= 28 and set(first) == set(second)
    assert differences(first, second) == {}
