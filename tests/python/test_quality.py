"""Quality suites: the declarative pieces, the PII patterns, and real runs on a built warehouse."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from conftest import BuiltWarehouse, run_livewh
from livewh.quality import suites
from livewh.quality.report import CheckOutcome, QualityReport
from livewh.quality.runner import plan
from livewh.quality.suites import Catalog


@pytest.mark.parametrize(
    ("name", "data_type", "expected"),
    [
        ("repeat_rate", "DOUBLE", True),
        ("revenue_share", "DECIMAL(18,4)", True),
        ("share_of_live_orders", "DOUBLE", True),
        ("pct_converted", "FLOAT", True),
        ("buyers_share_of_viewers", "DOUBLE", True),
        ("repeat_rate", "VARCHAR", False),
        ("fx_rate", "DOUBLE", False),
        ("repeat_buyers_mom_change_rate", "DOUBLE", False),
        ("rate_date", "DATE", False),
        ("orders", "BIGINT", False),
        ("conversion_rate", "UUID", False),
        ("conversion_rate", "UBIGINT", True),
    ],
)
def test_rate_columns_are_recognised(name: str, data_type: str, expected: bool) -> None:
    assert suites.is_rate_column(name, data_type) is expected


@pytest.mark.parametrize(
    ("value", "looks_like"),
    [
        ("anna.berg@example.com", "email"),
        ('{"email":"Budi.Santoso@mail.co.id","x":1}', "email"),
        ("+49 30 1234567", "phone"),
        ('{"phone":"+62 812-3456-7890"}', "phone"),
        ("0062 812 3456", "phone"),
        ("(030) 1234567", "phone"),
        ("(212) 555-0100", "phone"),
        ("2025-02-01T23:30:00+07:00", None),
        ("2025-01-01", None),
        ("c_000123", None),
        ("100045", None),
        ("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", None),
        ("affiliate_kol", None),
        ("1.5", None),
        ("01-02-2025", None),
        ("0001234567", None),
        ("030-1234-5678", "phone"),
    ],
)
def test_personal_data_patterns(value: str, looks_like: str | None) -> None:
    with duckdb.connect() as connection:
        email, phone = connection.execute(
            f"select {suites.email_condition('v')}, {suites.phone_condition('v')} from (select ? as v)",
            [value],
        ).fetchone()
    assert email is (looks_like == "email")
    assert phone is (looks_like == "phone")


def test_pii_query_masks_what_it_finds() -> None:
    query = suites.pii_query(["note"]).format(batch="(select * from notes)")
    with duckdb.connect() as connection:
        connection.execute(
            "create table notes as select * from (values ('call +49 30 1234567'), ('ok'), ('a@b.de')) t(note)"
        )
        rows = connection.execute(query).fetchall()
    assert rows == [("note", "email", 1, ["a@b***"]), ("note", "phone", 1, ["+49***"])]


def test_a_suite_whose_relation_is_missing_is_skipped_and_missing_columns_fail() -> None:
    catalog = Catalog(
        {
            "intermediate.int_customers_validated": [
                ("customer_id", "VARCHAR"),
                ("quarantine_reason", "VARCHAR"),
            ]
        }
    )
    planned, decided, skipped = plan(catalog, None, 7)
    assert any(
        entry.startswith("input.orders (intermediate.int_orders_validated does not exist")
        for entry in skipped
    )
    assert any(entry.startswith("mart.fct_quarantined_rows") for entry in skipped)
    assert {item.check.kind for item in planned} >= {"not_null", "unique"}
    failed = {(outcome.column, outcome.message) for outcome in decided if outcome.status == "failed"}
    assert ("created_at", "column(s) not found: created_at") in failed


def test_mart_suites_are_plain_data() -> None:
    # The lead adds mart checks by adding Suite entries: they must be immutable values.
    for suite in suites.declared_suites():
        assert suite.relation.count(".") == 1
        assert all(check.severity in {"error", "warning"} for check in suite.checks)


def test_only_error_level_failures_fail_the_report(tmp_path: Path) -> None:
    warning = CheckOutcome("s", "main.t", "c", "freshness", "warning", "failed", "old")
    error = CheckOutcome("s", "main.t", "c", "between", "error", "failed", "1 of 2 rows outside [0, 1]")
    report = QualityReport(tmp_path / "w.duckdb", tmp_path, [warning])
    assert report.passed and report.warnings == [warning]
    report.outcomes.append(error)
    assert not report.passed and report.errors == [error]


# --- real runs, inside DuckDB, on the warehouse built once per session ---------------------------


def test_a_clean_build_passed_its_checks(built_warehouse: BuiltWarehouse) -> None:
    results_file = (
        built_warehouse.published.parent / "build" / built_warehouse.run_id / "quality" / "results.json"
    )
    results = json.loads(results_file.read_text())
    assert results["passed"] is True and results["errors"] == 0
    kinds = {check["suite"].split(".")[0] for check in results["checks"]}
    assert {"input", "mart", "raw", "reconciliation", "pii"} <= kinds
    data_docs = results_file.parent / "data_docs" / "index.html"
    assert data_docs.is_file() and "<html" in data_docs.read_text().lower()


def test_injected_violations_fail_with_readable_messages(warehouse_copy: Path, tmp_path: Path) -> None:
    with duckdb.connect(str(warehouse_copy)) as connection:
        connection.execute(
            "create table main.rpt_tampered as "
            "select * from (values ('DE', 0.4, 1.5), ('FR', 0.2, 0.3)) "
            "as t(country, pct_converted, repeat_rate)"
        )
        connection.execute(
            "create table main.tampered_notes as "
            "select * from (values ('fine'), ('write to anna.berg@example.com'), ('call +49 30 1234567')) "
            "as t(note)"
        )
    out = tmp_path / "quality"
    result = run_livewh("check", "--db", warehouse_copy, "--out", out, "--as-of", "2030-01-01")
    assert result.code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.out.splitlines()
    rate_line = next(line for line in lines if "main.rpt_tampered.repeat_rate" in line)
    assert (
        rate_line.lstrip().startswith("ERROR")
        and "1 of 2 rows outside [0, 1]" in rate_line
        and "1.5" in rate_line
    )
    assert not any("main.rpt_tampered.pct_converted" in line for line in lines), (
        "an in-range rate was flagged"
    )
    pii_line = next(line for line in lines if "main.tampered_notes.note" in line)
    assert "no clear email or phone" in pii_line
    assert "note: 1 value(s) look like a clear email; note: 1 value(s) look like a clear phone" in pii_line
    assert "ann***" in pii_line and "+49***" in pii_line
    freshness = [line for line in lines if line.lstrip().startswith("WARNING") and "freshness" in line]
    assert freshness, "an observation end far after the data must raise a freshness warning"
    saved = (out / "results.json").read_text()
    assert "anna.berg@example.com" not in saved and "anna.berg@example.com" not in result.output
    assert (out / "data_docs" / "index.html").is_file()
    assert json.loads(saved)["errors"] == 2


def test_check_on_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = run_livewh("check", "--db", tmp_path / "nothing.duckdb")
    assert result.code == 2
    assert "no warehouse file" in result.err and "Traceback" not in result.err
