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
from livewh.dbt_runner import run_dbt

# duckdb 2.0 reports its module objects as "leaked" at interpreter exit once great-expectations
# was imported (harmless, see livewh.cli); keep that noise out of the test output too.
atexit.register(_silence_teardown_noise)

MINIMAL_RAW = PROJECT_ROOT / "tests" / "fixtures" / "minimal"
#: Builds in pytest select the raw layer, staging, validation, the quality marts and the
#: observation end: everything these tests query, in a fraction of a full build's time. Full
#: builds of every mart run in `make test` (dbt build on the demo data, then `livewh check`).
TEST_SELECTION = ("+rpt_raw_reconciliation", "+fct_quarantined_rows", "+int_observation_end")
#: The demo shop of `make demo` (seed 42), for the tests that need a full-size warehouse.
DEMO_SEED = 42
#: dbt build without its data tests and unit tests: every seed, model and snapshot, for tests that
#: compare what builds produce (the tests run in `make test`'s own dbt build of the demo).
MODELS_ONLY = ("build", "--exclude", "resource_type:test", "resource_type:unit_test")
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


def run_project_dbt(
    args: Iterable[str], work: Path, env: dict[str, str], *, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run ``dbt <args>`` on this project as a subprocess (as ``make test`` runs it).

    Its target and log folders are under ``work``; ``env`` is added to this process's
    environment (usage stats always off). With ``check`` a failed run fails the test, showing the
    end of dbt's output.
    """
    args = list(args)
    command = [
        DBT,
        *args,
        "--profiles-dir",
        str(PROJECT_ROOT),
        "--project-dir",
        str(PROJECT_ROOT),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
    ]
    full_env = {**os.environ, **env, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run(
        command, env=full_env, capture_output=True, text=True, cwd=PROJECT_ROOT, check=False
    )
    if check:
        assert result.returncode == 0, f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}"
    return result


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

    ``select`` limits the build to some models and the tests on them only (indirect selection
    cautious); ``exclude`` leaves resources out (unit tests by default: they run in ``make test``).
    """
    args = ["build"]
    exclude = list(exclude)
    if exclude:
        args += ["--exclude", *exclude]
    select = list(select)
    if select:
        args += ["--indirect-selection", "cautious", "--select", *select]
    env = {"LIVEWH_RAW_DIR": str(raw_dir), "LIVEWH_DB_PATH": str(db_path)}
    return run_project_dbt(args, work, env, check=check)


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


@dataclass(frozen=True)
class DemoWarehouse:
    """The demo shop built and published by ``livewh build`` (every mart, quality checks included)."""

    published: Path
    raw_dir: Path
    run_id: str

    @property
    def quality_dir(self) -> Path:
        """Where the build wrote its quality results (results.json, Data Docs)."""
        return self.published.parent / "build" / self.run_id / "quality"


@pytest.fixture(scope="session")
def demo_warehouse(request: pytest.FixtureRequest) -> DemoWarehouse:
    """The demo published once per session by `livewh build` (published_demo), with its raw folder
    and run id: for the dashboard, the review report and the semantic layer, which read every mart.
    While iterating on those tests, $LIVEWH_TEST_DEMO_DB may name a demo warehouse already
    published by `livewh build` from the current code (its build folder beside it); it is then used
    as is.
    """
    reuse = os.environ.get("LIVEWH_TEST_DEMO_DB")
    if reuse:
        published = Path(reuse).resolve()
        with duckdb.connect(str(published), read_only=True) as connection:
            run_id, raw = connection.execute(
                "select run_id, raw_data_dir from main.warehouse_build_info"
            ).fetchone() or ("", "")
        return DemoWarehouse(published, Path(raw), str(run_id))
    published = request.getfixturevalue("published_demo")
    raw_dir = request.getfixturevalue("demo_raw")
    with duckdb.connect(str(published), read_only=True) as connection:
        (run_id,) = connection.execute("select run_id from main.warehouse_build_info").fetchone() or ("",)
    return DemoWarehouse(published, raw_dir, str(run_id))


#: Debian's chromium, driven by Playwright (no browser download).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def ensure_debian_package(executable: Path, package: str, needed_by: str) -> Path:
    """A program from a Debian package, installed with apt when missing (CI runs as root); never skipped."""
    if not executable.exists():
        for command in (
            ["apt-get", "update"],
            ["apt-get", "install", "-y", "--no-install-recommends", package],
        ):
            completed = subprocess.run(
                command,
                env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
                capture_output=True,
                text=True,
                check=False,
            )
            assert completed.returncode == 0, (
                f"`{' '.join(command)}` failed ({needed_by} need Debian's {package}; run as root):\n"
                f"{completed.stdout[-2000:]}{completed.stderr[-2000:]}"
            )
    assert executable.exists(), f"{executable} is still missing after installing the {package} package"
    return executable


def ensure_chromium() -> Path:
    """Debian's chromium, installed when missing."""
    return ensure_debian_package(CHROMIUM, "chromium", "the browser tests")


#: The Java runtime PySpark starts (the Spark target's `session` method).
JAVA = Path("/usr/bin/java")


def ensure_java() -> Path:
    """Debian's Java 17 runtime, installed when missing."""
    return ensure_debian_package(JAVA, "openjdk-17-jre-headless", "the Spark tests")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, object]) -> dict[str, object]:
    """pytest-playwright launches Debian's chromium headless, with the flags a container needs."""
    return {
        **browser_type_launch_args,
        "executable_path": str(ensure_chromium()),
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def demo_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo shop's raw files (`livewh generate --profile demo --seed 42`), generated once."""
    from livewh.generate import GenerateConfig, generate

    out = tmp_path_factory.mktemp("demo-raw") / "demo"
    generate(GenerateConfig.for_profile("demo", out=out, seed=DEMO_SEED, progress=False))
    return out


@pytest.fixture(scope="session")
def published_demo(demo_raw: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse as `make demo` publishes it (`livewh build`: every model, test and check)."""
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    published = tmp_path_factory.mktemp("demo-published") / "warehouse.duckdb"
    code = main(["build", "--raw-dir", str(demo_raw), "--db", str(published)])
    assert code == 0, "the demo build failed; run `make demo` to see why"
    return published


def build_models(raw_dir: Path, work_dir: Path, as_of: str | None = None) -> Path:
    """Build every seed, model and snapshot into a new ``work_dir/warehouse.duckdb`` (plain dbt)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    db_path = work_dir / "warehouse.duckdb"
    run = run_dbt(list(MODELS_ONLY), db_path=db_path, raw_dir=raw_dir, as_of=as_of, work_dir=work_dir)
    assert run.ok, f"dbt build into {db_path} failed:\n{run.explain()}"
    return db_path
