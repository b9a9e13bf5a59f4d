"""No documented command leaves a view over the raw files, or clear personal data, in a file readers open.

The raw files hold clear emails and phones (of erased accounts too). Plain dbt runs its
on-run-start hook, which creates views ``raw.*`` over them, in whatever file it writes to; so
plain dbt must never write into the published file, ``livewh docs`` renders the docs from a
throwaway copy, and publishing refuses a file that still reads files.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from conftest import BuiltWarehouse, CliResult
from livewh import PROJECT_ROOT
from livewh.errors import LivewhError
from livewh.publish import publish
from livewh.quality.exposure import file_readers, reads_files
from livewh.warehouse import write_build_info

#: What a clone of the project holds (generated folders and files left out).
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git",
    ".venv*",
    "build",
    "data",
    "exports",
    "target",
    "logs",
    "*.duckdb",
    "*.wal",
    "__pycache__",
    ".*cache",
)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _plain_dbt(project: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``dbt <args>`` exactly as the README says: from the project folder, nothing but the env."""
    return subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), *args],
        cwd=project,
        env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **env},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@pytest.fixture(scope="module")
def project_with_published_file(
    built_warehouse: BuiltWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    """A copy of the project (as cloned) with a warehouse published where `make demo` puts it."""
    project = tmp_path_factory.mktemp("clone") / "livewh"
    shutil.copytree(PROJECT_ROOT, project, ignore=NOT_IN_A_CLONE)
    published = project / "warehouse.duckdb"
    shutil.copy2(built_warehouse.pristine, published)
    return project, published


def test_dbt_docs_generate_the_readme_way_leaves_the_published_file_alone(
    project_with_published_file: tuple[Path, Path],
    built_warehouse: BuiltWarehouse,
    run_cli: Callable[..., CliResult],
) -> None:
    project, published = project_with_published_file
    before = _sha256(published)
    # LIVEWH_DB_PATH is unset (conftest): dbt uses the profile's default path
    result = _plain_dbt(project, "docs", "generate", env={"LIVEWH_RAW_DIR": str(built_warehouse.raw_dir)})

    assert result.returncode == 0, result.stdout[-3000:]
    # no byte of the published file was touched: no view over the raw files in it ...
    with duckdb.connect(str(published), read_only=True) as connection:
        assert file_readers(connection) == []
        raw_views = "select view_name from duckdb_views() where schema_name = 'raw'"
        assert connection.execute(raw_views).fetchall() == []
    assert _sha256(published) == before
    # ... the hook ran, and wrote its views into the development file instead
    development = project / "build" / "dev" / "warehouse.duckdb"
    with duckdb.connect(str(development), read_only=True) as connection:
        assert {reader.relation for reader in file_readers(connection)} >= {"raw.customers", "raw.orders"}
    # the quality suites' verdict on the file readers open: no view over files, no clear email/phone
    check = run_cli("check", "--db", published, "--out", project / "build" / "check")
    assert check.code == 0, check.output
    assert "0 error(s)" in check.out


def test_plain_dbt_refuses_a_published_file_named_by_livewh_db_path(
    project_with_published_file: tuple[Path, Path], built_warehouse: BuiltWarehouse
) -> None:
    project, published = project_with_published_file
    before = _sha256(published)
    result = _plain_dbt(
        project,
        "run",
        "--select",
        "int_observation_end",
        env={"LIVEWH_DB_PATH": str(published), "LIVEWH_RAW_DIR": str(built_warehouse.raw_dir)},
    )
    assert result.returncode != 0
    assert "a warehouse made by `livewh build`" in result.stdout
    assert "Plain dbt never writes into a published warehouse" in result.stdout
    assert _sha256(published) == before


def test_livewh_docs_renders_from_a_copy(
    project_with_published_file: tuple[Path, Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    _, published = project_with_published_file
    before = _sha256(published)
    result = run_cli("docs", "--db", published, "--out", tmp_path / "docs")
    assert result.code == 0, result.output
    page = tmp_path / "docs" / "target" / "static_index.html"
    assert page.is_file()
    text = page.read_text(encoding="utf-8")
    # descriptions (manifest) and columns read from the warehouse (catalog) are both in the page
    assert "rpt_raw_reconciliation" in text and "accepted_rows" in text
    assert not (tmp_path / "docs" / "work").exists()
    assert _sha256(published) == before


@pytest.mark.parametrize(
    ("definition", "evidence"),
    [
        ("select * from read_csv('/data/customers.csv', header = true)", "read_csv()"),
        ("select * from READ_PARQUET (['a.parquet'])", "read_parquet()"),
        ("select * from read_json_auto('x')", "read_json_auto()"),
        ("select file from glob('/data/*')", "glob()"),
        ("select * from '/data/orders.parquet'", "'/data/orders.parquet'"),
        ('select * from "orders.csv"', '"orders.csv"'),
        ('SELECT * FROM "/exports/orders"', '"/exports/orders"'),
        ('select * from "main"."fct_orders"', None),
        ("select 'customers.csv.gz' as source", "'customers.csv.gz'"),
        ("select * from main.fct_orders where note = 'read_csv'", None),
        ("select customer_key from main.dim_customers", None),
    ],
)
def test_what_counts_as_reading_files(definition: str, evidence: str | None) -> None:
    assert reads_files(definition) == evidence


def _candidate(path: Path, raw_file: Path, extra_view: str | None) -> Path:
    path.parent.mkdir(parents=True)
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema raw")
        connection.execute(f"create view raw.customers as select * from read_csv('{raw_file}')")
        connection.execute("create table main.kept as select 1 as x")
        if extra_view:
            connection.execute(extra_view)
    write_build_info(path, "20250102T000000Z-bbbb", datetime(2025, 1, 2), raw_file.parent)
    return path


def test_publish_refuses_a_view_over_files_outside_raw(tmp_path: Path) -> None:
    raw_file = tmp_path / "raw" / "customers.csv"
    raw_file.parent.mkdir()
    raw_file.write_text("customer_id,email\nc1,anna@example.com\n", encoding="utf-8")
    published = tmp_path / "warehouse.duckdb"
    publish(_candidate(tmp_path / "build" / "r1" / "warehouse.duckdb", raw_file, None), published)
    before = _sha256(published)

    leaky = _candidate(
        tmp_path / "build" / "r2" / "warehouse.duckdb",
        raw_file,
        f"create view main.customer_emails as select email from '{raw_file}'",
    )
    with pytest.raises(LivewhError) as refused:
        publish(leaky, published)
    assert "refusing to publish" in refused.value.message
    # DuckDB keeps the definition as `from "<path>"`
    assert f'view main.customer_emails reads files ("{raw_file}")' in refused.value.message
    assert _sha256(published) == before
    with duckdb.connect(str(published), read_only=True) as connection:
        assert file_readers(connection) == []


def test_the_quality_suites_flag_views_over_files_and_clear_data_in_any_schema(
    warehouse_copy: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    raw_file = tmp_path / "customers.csv"
    raw_file.write_text("customer_id,email\nc1,anna@example.com\n", encoding="utf-8")
    with duckdb.connect(str(warehouse_copy)) as connection:
        connection.execute(f"create view main.customer_emails as select * from read_csv('{raw_file}')")
        connection.execute("create schema scratch")
        connection.execute("create table scratch.notes as select '+49 30 1234567' as note")
    result = run_cli("check", "--db", warehouse_copy, "--out", tmp_path / "check", "--allow-raw-views")
    assert result.code == 1
    assert "main.customer_emails: view main.customer_emails reads files (read_csv())" in result.out
    assert "scratch.notes" in result.out and "look like a clear phone" in result.out
    assert "+49 30" not in result.output  # samples are masked
