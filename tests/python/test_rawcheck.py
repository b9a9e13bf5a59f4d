"""The pre-flight raw check: contract loading, every file-level problem, through the CLI and through dbt."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from conftest import CliResult, append_csv_rows, run_livewh, write_csv
from livewh import PROJECT_ROOT
from livewh.errors import RawDataError
from livewh.rawcheck import check_raw_folder, load_contract


def test_contract_is_read_from_the_sources_yaml() -> None:
    contract = {table.name: table for table in load_contract()}
    assert contract["customers"].required and contract["orders"].required
    assert not contract["live_events"].required
    assert contract["orders"].required_columns == (
        "order_id",
        "customer_id",
        "ordered_at",
        "currency",
        "order_total",
    )
    assert "status" not in contract["orders"].required_columns


def test_minimal_folder_passes_and_optional_tables_may_be_absent(minimal_raw: Path) -> None:
    report = check_raw_folder(minimal_raw)
    assert {raw_file.table for raw_file in report.files} == {"customers", "orders", "deletion_requests"}
    assert "live_events" in report.absent_optional
    orders = next(raw_file for raw_file in report.files if raw_file.table == "orders")
    assert orders.rows == 9 and orders.file_format == "csv"


def test_parquet_files_are_accepted(minimal_raw: Path) -> None:
    orders_csv = minimal_raw / "orders.csv"
    with duckdb.connect() as connection:
        target = minimal_raw / "orders.parquet"
        connection.execute(f"copy (select * from read_csv('{orders_csv}', all_varchar = true)) to '{target}'")
    orders_csv.unlink()
    report = check_raw_folder(minimal_raw)
    assert any(raw_file.table == "orders" and raw_file.file_format == "parquet" for raw_file in report.files)


def _problem(raw_dir: Path) -> str:
    with pytest.raises(RawDataError) as raised:
        check_raw_folder(raw_dir)
    return raised.value.message


def test_missing_folder(tmp_path: Path) -> None:
    message = _problem(tmp_path / "nope")
    assert "does not exist" in message and "nope" in message


def test_missing_required_file(minimal_raw: Path) -> None:
    (minimal_raw / "orders.csv").unlink()
    message = _problem(minimal_raw)
    assert "raw table 'orders' is required but neither orders.parquet nor orders.csv exists" in message


def test_missing_required_column(minimal_raw: Path) -> None:
    write_csv(
        minimal_raw / "orders.csv",
        ["order_id", "customer_id", "ordered_at", "currency"],
        [["1", "c1", "2025-01-01", "EUR"]],
    )
    message = _problem(minimal_raw)
    assert "raw table 'orders'" in message and "orders.csv" in message
    assert "required column(s) missing: order_total" in message


def test_semicolon_file_is_explained(minimal_raw: Path) -> None:
    (minimal_raw / "customers.csv").write_text("customer_id;created_at\nc1;2025-01-01\n", encoding="utf-8")
    message = _problem(minimal_raw)
    assert "required column(s) missing: customer_id, created_at" in message
    assert "does not look comma-separated" in message


def test_invalid_csv_row_far_down_the_file(minimal_raw: Path) -> None:
    path = minimal_raw / "orders.csv"
    append_csv_rows(
        path,
        [[f"9{i}", "c1", "2025-02-01T10:00:00Z", "EUR", "1", "completed", "web", ""] for i in range(3000)],
    )
    with path.open("a", encoding="utf-8") as handle:
        handle.write("99999,c1,2025-02-01T10:00:00Z,EUR,1,completed,web,,extra,fields\n")
    message = _problem(minimal_raw)
    assert "raw table 'orders' (" in message and "orders.csv" in message
    assert "not a valid CSV file:" in message
    assert "line 3011: 10 field(s) where the header has 8" in message  # header + 9 + 3000 rows before


def _header_only(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


@pytest.mark.parametrize("table", ["orders", "customers"])
def test_required_table_with_a_header_and_no_rows(minimal_raw: Path, table: str) -> None:
    _header_only(minimal_raw / f"{table}.csv")
    message = _problem(minimal_raw)
    assert f"raw table '{table}' (" in message and f"{table}.csv" in message
    assert f"has a header but no data rows; '{table}' is required and needs at least one row" in message


def test_required_parquet_table_with_no_rows(minimal_raw: Path) -> None:
    with duckdb.connect() as connection:
        connection.execute(
            f"copy (select * from read_csv('{minimal_raw / 'orders.csv'}', all_varchar = true) limit 0) "
            f"to '{minimal_raw / 'orders.parquet'}'"
        )
    (minimal_raw / "orders.csv").unlink()
    assert "has a header but no data rows; 'orders' is required" in _problem(minimal_raw)


def test_optional_table_with_a_header_and_no_rows_is_fine(minimal_raw: Path) -> None:
    _header_only(minimal_raw / "deletion_requests.csv")
    report = check_raw_folder(minimal_raw)
    assert next(raw_file.rows for raw_file in report.files if raw_file.table == "deletion_requests") == 0


ORDERS_HEADER = "order_id,customer_id,ordered_at,currency,order_total,status,sales_channel,live_session_id\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            # "20,00" unquoted: DuckDB's reader alone drops the trailing empty field and shifts the row
            ORDERS_HEADER + "1001,c1,2025-02-01T10:00:00Z,EUR,50.00,completed,live,s1\n"
            "1002,c1,2025-02-20T10:00:00Z,EUR,20,00,,web,\n",
            "line 3: 9 field(s) where the header has 8 (a ragged row: a value holding a comma must be "
            "quoted)",
        ),
        (
            ORDERS_HEADER + "1001,c1,2025-02-01T10:00:00Z,EUR,50.00,completed,live,s1\n"
            "1002,c1,2025-02-20T10:00:00Z,EUR,20.00\n",
            "line 3: 5 field(s) where the header has 8 (a ragged row: a field is missing)",
        ),
        (
            ORDERS_HEADER + "1001,c1,2025-02-01T10:00:00Z,EUR,50.00,completed,live,s1\n"
            '1002,c1,2025-02-20T10:00:00Z,EUR,20.00,"completed,web,\n'
            "1003,c1,2025-02-21T10:00:00Z,EUR,20.00,completed,web,\n",
            "line 3: a quoted field opens here and is never closed (unbalanced quote",
        ),
        ("", "the file is empty: not even a header row"),
        ("\n  \n", "the file is empty: not even a header row"),
    ],
    ids=["ragged-more", "ragged-fewer", "unbalanced-quote", "empty", "blank"],
)
def test_malformed_csv_names_the_line_and_the_problem(minimal_raw: Path, content: str, expected: str) -> None:
    (minimal_raw / "orders.csv").write_text(content, encoding="utf-8")
    message = _problem(minimal_raw)
    assert "raw table 'orders' (" in message and "not a valid CSV file:" in message
    assert expected in message


def test_a_quoted_line_break_does_not_shift_the_line_numbers(minimal_raw: Path) -> None:
    (minimal_raw / "orders.csv").write_text(
        ORDERS_HEADER + '1001,c1,2025-02-01T10:00:00Z,EUR,50.00,completed,live,"s1\nsecond line"\n'
        "1002,c1,2025-02-20T10:00:00Z,EUR,20.00,completed,web,,extra\n",
        encoding="utf-8",
    )
    assert "line 4: 9 field(s) where the header has 8" in _problem(minimal_raw)


def test_invalid_utf8_csv(minimal_raw: Path) -> None:
    (minimal_raw / "customers.csv").write_bytes(b"customer_id,created_at\nc1,\xff\xfe2025\n")
    message = _problem(minimal_raw)
    assert (
        "raw table 'customers'" in message
        and "not a valid CSV file:" in message
        and "utf-8" in message.lower()
    )
    assert "line 2: byte 0xff is not UTF-8" in message


def test_truncated_parquet(minimal_raw: Path) -> None:
    target = minimal_raw / "orders.parquet"
    with duckdb.connect() as connection:
        connection.execute(
            f"copy (select * from read_csv('{minimal_raw / 'orders.csv'}', all_varchar = true)) to '{target}'"
        )
    (minimal_raw / "orders.csv").unlink()
    target.write_bytes(target.read_bytes()[:-40])
    message = _problem(minimal_raw)
    assert "raw table 'orders'" in message and "orders.parquet" in message
    assert "not a valid Parquet file:" in message


def test_garbage_parquet(minimal_raw: Path) -> None:
    (minimal_raw / "live_events.parquet").write_bytes(b"this is not parquet at all")
    message = _problem(minimal_raw)
    assert "raw table 'live_events'" in message and "not a valid Parquet file:" in message


def test_both_formats_present(minimal_raw: Path) -> None:
    shutil.copy(minimal_raw / "customers.csv", minimal_raw / "customers.parquet")
    message = _problem(minimal_raw)
    assert "raw table 'customers': both" in message and "customers.parquet" in message
    assert "keep only one file per table" in message


def test_all_problems_are_listed_at_once(minimal_raw: Path) -> None:
    (minimal_raw / "orders.csv").unlink()
    (minimal_raw / "products.parquet").write_bytes(b"junk")
    message = _problem(minimal_raw)
    assert "'orders' is required" in message and "'products'" in message


# --- through the CLI: exit code and message, never a traceback -----------------------------------


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda raw: (raw / "customers.csv").unlink(), "raw table 'customers' is required"),
        (
            lambda raw: write_csv(raw / "customers.csv", ["customer_id"], [["c1"]]),
            "required column(s) missing: created_at",
        ),
        (lambda raw: (raw / "orders.csv").write_bytes(b'a,b\n1,"2\n3,4,5\n'), "not a valid CSV file"),
        (lambda raw: (raw / "refunds.parquet").write_bytes(b"PAR1"), "not a valid Parquet file"),
        (lambda raw: shutil.copy(raw / "orders.csv", raw / "orders.parquet"), "keep only one file per table"),
    ],
    ids=["missing-file", "missing-column", "invalid-csv", "invalid-parquet", "both-formats"],
)
def test_build_stops_before_dbt_with_a_clear_message(
    minimal_raw: Path,
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
    damage: Callable[[Path], object],
    expected: str,
) -> None:
    damage(minimal_raw)
    published = tmp_path / "pub" / "warehouse.duckdb"
    result = run_cli("build", "--db", published, "--raw-dir", minimal_raw)
    assert result.code == 2
    assert expected in result.err
    assert "Traceback" not in result.output
    assert not published.exists()
    assert not (published.parent / "build").exists(), "no build folder is created for an unusable raw folder"


def test_wrong_folder_through_the_real_entry_point(tmp_path: Path) -> None:
    result = run_livewh("build", "--db", tmp_path / "w.duckdb", "--raw-dir", tmp_path / "x")
    assert result.code == 2
    assert "raw data folder" in result.err and "does not exist" in result.err
    assert "Traceback" not in result.err


# --- through plain dbt: the create_raw_views hook raises its own readable compiler error ---------


@pytest.fixture(scope="module")
def dbt_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared target/log folders and database path, so the second dbt run parses incrementally."""
    return tmp_path_factory.mktemp("plain-dbt")


def _plain_dbt_build(raw_dir: Path, workdir: Path) -> subprocess.CompletedProcess[str]:
    dbt = Path(sys.executable).with_name("dbt")
    return subprocess.run(
        [
            str(dbt),
            "build",
            "--project-dir",
            str(PROJECT_ROOT),
            "--profiles-dir",
            str(PROJECT_ROOT),
            "--target-path",
            str(workdir / "target"),
            "--log-path",
            str(workdir / "logs"),
            "--no-use-colors",
        ],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "LIVEWH_RAW_DIR": str(raw_dir),
            "LIVEWH_DB_PATH": str(workdir / "warehouse.duckdb"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        },
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_plain_dbt_names_a_missing_required_file(minimal_raw: Path, dbt_workdir: Path) -> None:
    (minimal_raw / "orders.csv").unlink()
    result = _plain_dbt_build(minimal_raw, dbt_workdir)
    assert result.returncode != 0
    assert "Raw table 'orders' is required but neither orders.parquet nor orders.csv exists" in result.stdout


def test_plain_dbt_names_a_missing_required_column(minimal_raw: Path, dbt_workdir: Path) -> None:
    write_csv(minimal_raw / "customers.csv", ["customer_id", "country_code"], [["c1", "DE"]])
    result = _plain_dbt_build(minimal_raw, dbt_workdir)
    assert result.returncode != 0
    assert "Raw table 'customers'" in result.stdout and "customers.csv" in result.stdout
    assert "required column(s) missing: created_at" in result.stdout


def test_plain_dbt_names_a_required_table_without_rows(minimal_raw: Path, dbt_workdir: Path) -> None:
    _header_only(minimal_raw / "orders.csv")
    result = _plain_dbt_build(minimal_raw, dbt_workdir)
    assert result.returncode != 0
    assert "Raw table 'orders' (file " in result.stdout
    assert "has a header but no data rows; 'orders' is required and needs at least one row" in result.stdout
    # stopped in the hook: no model ran
    assert " OK created " not in result.stdout
