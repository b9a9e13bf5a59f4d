"""``livewh export``: files, manifest, checksums, and clear errors."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import duckdb

from conftest import CliResult


def _main_relations(db_path: Path) -> dict[str, int]:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        names = [
            name
            for (name,) in connection.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = current_database() and table_schema = 'main' order by 1"
            ).fetchall()
        ]
        return {
            name: connection.execute(f'select count(*) from main."{name}"').fetchone()[0] for name in names
        }


def test_export_to_parquet_with_manifest(
    warehouse_copy: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    result = run_cli("export", "--db", warehouse_copy, "--out", tmp_path / "exports")
    assert result.code == 0, result.err
    folders = list((tmp_path / "exports").iterdir())
    assert len(folders) == 1
    folder = folders[0]
    manifest = json.loads((folder / "manifest.json").read_text())
    with duckdb.connect(str(warehouse_copy), read_only=True) as connection:
        run_id, built_at, as_of = connection.execute(
            "select run_id, built_at, as_of_date from main.warehouse_build_info"
        ).fetchone()
    assert folder.name == f"{as_of.isoformat()}_{run_id}"
    assert manifest["run_id"] == run_id and manifest["observation_end"] == as_of.isoformat()
    assert manifest["built_at"] == built_at.isoformat() and manifest["format"] == "parquet"

    expected = {
        name: rows for name, rows in _main_relations(warehouse_copy).items() if name != "warehouse_build_info"
    }
    assert {entry["relation"] for entry in manifest["files"]} == {f"main.{name}" for name in expected}
    with duckdb.connect() as connection:
        for entry in manifest["files"]:
            path = folder / entry["file"]
            assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
            assert entry["rows"] == expected[entry["relation"].split(".", 1)[1]]
            described = connection.execute(f"describe select * from read_parquet('{path}')").fetchall()
            assert [row[0] for row in described] == [column["name"] for column in entry["columns"]]
            assert (
                connection.execute(f"select count(*) from read_parquet('{path}')").fetchone()[0]
                == entry["rows"]
            )
    assert not any(path.name.startswith(".") for path in (tmp_path / "exports").iterdir()), (
        "no partial folder left"
    )


def test_export_csv_subset(warehouse_copy: Path, tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    result = run_cli(
        "export",
        "--db",
        warehouse_copy,
        "--out",
        tmp_path / "exports",
        "--format",
        "csv",
        "--tables",
        "rpt_raw_reconciliation",
    )
    assert result.code == 0, result.err
    (folder,) = list((tmp_path / "exports").iterdir())
    files = sorted(path.name for path in folder.iterdir())
    assert files == ["manifest.json", "rpt_raw_reconciliation.csv"]
    lines = (folder / "rpt_raw_reconciliation.csv").read_text().splitlines()
    assert (
        lines[0].startswith("table_name,")
        and len(lines) - 1 == json.loads((folder / "manifest.json").read_text())["files"][0]["rows"]
    )


def test_export_unknown_table_lists_the_valid_ones(
    warehouse_copy: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    result = run_cli("export", "--db", warehouse_copy, "--out", tmp_path / "exports", "--tables", "fct_nope")
    assert result.code == 2
    assert (
        "unknown table(s) in schema main: fct_nope" in result.err and "rpt_raw_reconciliation" in result.err
    )
    assert "Traceback" not in result.output
    assert not (tmp_path / "exports").exists()


def test_export_reads_the_file_read_only_while_another_reader_holds_it(
    warehouse_copy: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    with duckdb.connect(str(warehouse_copy), read_only=True):
        result = run_cli(
            "export", "--db", warehouse_copy, "--out", tmp_path, "--tables", "fct_quarantined_rows"
        )
    assert result.code == 0, result.err


def test_summary_lists_counts_and_how_to_connect(
    warehouse_copy: Path, run_cli: Callable[..., CliResult]
) -> None:
    result = run_cli("summary", "--db", warehouse_copy)
    assert result.code == 0, result.err
    counts = _main_relations(warehouse_copy)
    for name, rows in counts.items():
        line = next(line for line in result.out.splitlines() if line.strip().startswith(f"main.{name} "))
        assert line.split()[1].replace(",", "") == str(rows)
    assert str(warehouse_copy) in result.out and "duckdb -readonly" in result.out
