"""Shared pytest fixtures: raw folders, running the CLI, and a warehouse built once per session."""

from __future__ import annotations

import atexit
import csv
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

import livewh
from livewh import PROJECT_ROOT
from livewh.cli import _silence_teardown_noise, main

# duckdb 2.0 reports its module objects as "leaked" at interpreter exit once great-expectations
# was imported (harmless, see livewh.cli); keep that noise out of the test output too.
atexit.register(_silence_teardown_noise)

MINIMAL_RAW = PROJECT_ROOT / "tests" / "fixtures" / "minimal"
#: Builds in pytest select the raw layer, staging, validation, the quality marts and the
#: observation end: everything these tests query, in a fraction of a full build's time. Full
#: builds of every mart run in `make test` (dbt build on the demo data, then `livewh check`).
TEST_SELECTION = ("+rpt_raw_reconciliation", "+fct_quarantined_rows", "+int_observation_end")
#: The folder holding the livewh package under test, for subprocesses (python -m livewh).
SCRIPTS_DIR = Path(livewh.__file__).resolve().parents[1]
#: The dbt of the interpreter running the tests (the project's .venv).
DBT = str(Path(sys.executable).parent / "dbt")


@dataclass(frozen=True)
class CliResult:
    """Exit code and output of one ``livewh`` invocation."""

    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        """stdout and stderr together."""
        return self.out + self.err


@pytest.fixture(autouse=True)
def _no_usage_stats(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    for name in ("LIVEWH_DB_PATH", "LIVEWH_RAW_DIR", "LIVEWH_AS_OF_DATE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run ``livewh <args>`` in this process; return its exit code and output."""

    def run(*args: str | Path) -> CliResult:
        capsys.readouterr()
        code = main([str(arg) for arg in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def run_livewh(*args: str | Path, env: dict[str, str] | None = None, timeout: float = 600) -> CliResult:
    """Run ``python -m livewh <args>`` as a separate process (the real entry point)."""
    completed = subprocess.run(
        [sys.executable, "-m", "livewh", *map(str, args)],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "PYTHONPATH": os.pathsep.join([str(SCRIPTS_DIR), os.environ.get("PYTHONPATH", "")]),
            **(env or {}),
        },
        timeout=timeout,
        check=False,
    )
    return CliResult(completed.returncode, completed.stdout, completed.stderr)


def dbt_build(
    raw_dir: Path,
    db_path: Path,
    work: Path,
    *,
    select: Iterable[str] = (),
    exclude: Iterable[str] = ("test_type:unit",),
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run this project's ``dbt build`` on a raw folder into a throw-away DuckDB file.

    dbt runs as a subprocess (as ``make test`` runs it), with its target and logs under
    ``work``. ``select`` limits the build to some models and the tests on them only (indirect
    selection cautious); ``exclude`` leaves resources out (unit tests by default: they run in
    ``make test``). With ``check`` a failed build fails the test, showing the end of dbt's output.
    """
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
    ]
    exclude = list(exclude)
    if exclude:
        command += ["--exclude", *exclude]
    select = list(select)
    if select:
        command += ["--indirect-selection", "cautious", "--select", *select]
    env = {
        **os.environ,
        "LIVEWH_RAW_DIR": str(raw_dir),
        "LIVEWH_DB_PATH": str(db_path),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=PROJECT_ROOT, check=False)
    if check:
        assert result.returncode == 0, result.stdout[-4000:]
    return result


def write_csv(path: Path, header: Iterable[str], rows: Iterable[Iterable[object]]) -> Path:
    """Write a small CSV file (UTF-8, comma, header row)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(header))
        writer.writerows([list(row) for row in rows])
    return path


def append_csv_rows(path: Path, rows: Iterable[Iterable[object]]) -> None:
    """Append rows to an existing CSV file."""
    with path.open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([list(row) for row in rows])


@pytest.fixture
def minimal_raw(tmp_path: Path) -> Path:
    """A private copy of tests/fixtures/minimal (customers + orders + deletion requests)."""
    target = tmp_path / "raw"
    shutil.copytree(MINIMAL_RAW, target)
    return target


def table_counts(db_path: Path, relations: Iterable[str]) -> dict[str, int]:
    """Row counts of some relations, read through a read-only connection."""
    with duckdb.connect(str(db_path), read_only=True) as connection:
        return {
            relation: int((connection.execute(f"select count(*) from {relation}").fetchone() or (0,))[0])
            for relation in relations
        }


@dataclass(frozen=True)
class BuiltWarehouse:
    """A warehouse published by ``livewh build`` from the minimal fixture."""

    published: Path  # the published file (later tests in test_build.py rebuild it)
    pristine: Path  # an untouched copy of the first build, for read-only tests
    raw_dir: Path
    run_id: str


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> BuiltWarehouse:
    """Build and publish once per session (slow: a full dbt build plus the quality checks)."""
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    workspace = tmp_path_factory.mktemp("warehouse")
    raw_dir = workspace / "raw-v1"
    shutil.copytree(MINIMAL_RAW, raw_dir)
    published = workspace / "published" / "warehouse.duckdb"
    code = main(["build", "--db", str(published), "--raw-dir", str(raw_dir), "--select", *TEST_SELECTION])
    assert code == 0, (
        "the session build failed; run `livewh build --raw-dir tests/fixtures/minimal` to see why"
    )
    pristine = tmp_path_factory.mktemp("pristine") / "warehouse.duckdb"
    shutil.copy2(published, pristine)
    with duckdb.connect(str(published), read_only=True) as connection:
        (run_id,) = connection.execute("select run_id from main.warehouse_build_info").fetchone() or ("",)
    return BuiltWarehouse(published, pristine, raw_dir, str(run_id))


@pytest.fixture
def warehouse_copy(built_warehouse: BuiltWarehouse, tmp_path: Path) -> Path:
    """A private copy of the first build (same file name, so the catalog name matches)."""
    target = tmp_path / "copy" / built_warehouse.pristine.name
    target.parent.mkdir()
    shutil.copy2(built_warehouse.pristine, target)
    return target
