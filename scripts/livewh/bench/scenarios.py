"""The benchmark's scenarios: what runs, what is measured, and the targets of issue 10.

* ``repurchase``: the orders-heavy shop (profile ``orders``): ``dbt build --select
  +fct_cohort_repurchase`` without tests, and the hand-written floor on the same files, alternated
  and repeated; the floor's table must equal the mart's; targets: mart wall <= 2x floor wall, mart
  peak memory < 1.9 GB (the pandas peer's peak).
* ``large-full``: the large profile: every model, seed and snapshot without tests, then ``dbt test``
  on top, timed apart; targets: 10 minutes, 6 GB peak memory, 10 GB DuckDB spill; tests 5 minutes.
* ``large-append``: the large profile cut at its second-to-last day (``livewh raw-cut``) and built,
  then the last day appended (an append-only export) and built again into the same database;
  target: the second build takes at most 5 % of the first.
* ``engines`` (issue 15): the same shop (default: the demo profile, generated or reused) built
  by ``dbt build --selector spark_ported`` (models and seeds, no tests) on DuckDB and on the
  Spark target (a local PySpark session, ``LIVEWH_SPARK_CORES`` cores, default 2); no target:
  the figures of both engines at the same size, side by side.

Each dbt run gets a throwaway database and its own DuckDB temp directory under the work folder
(``build/bench/<scenario>/``). dbt parses the project once per scenario before the timed runs
(``dbt parse``, reported but not counted), so the timed runs use partial parsing as a user's
repeated builds do. GB here means 10^9 bytes.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from livewh import PROJECT_ROOT, __version__
from livewh.bench import floor
from livewh.bench.measure import Measured, run_measured
from livewh.dbt_runner import PARTIAL_PARSE, DbtRun, dbt_command, dbt_env
from livewh.errors import LivewhError
from livewh.generate import GenerateConfig, generate
from livewh.rawcut import raw_cut

SCENARIOS = ("repurchase", "large-full", "large-append", "engines")
GB = 1e9
NO_TESTS = ["--exclude", "resource_type:test", "resource_type:unit_test"]
ENV_TEMP_DIRECTORY = "LIVEWH_DUCKDB_TEMP_DIRECTORY"
ENV_MEMORY_LIMIT = "LIVEWH_DUCKDB_MEMORY_LIMIT"


@dataclass
class Target:
    """One target of the issue: a measured value against its limit (PASS when within)."""

    name: str
    value: float | None
    limit: float
    unit: str
    detail: str = ""
    strict: bool = False  # value must be below the limit, not just at most

    @property
    def passed(self) -> bool:
        if self.value is None:
            return False
        return self.value < self.limit if self.strict else self.value <= self.limit

    def line(self) -> str:
        shown = "not measured" if self.value is None else _fmt(self.value, self.unit)
        relation = "<" if self.strict else "<="
        detail = f" ({self.detail})" if self.detail else ""
        verdict = "PASS" if self.passed else "MISS"
        return f"  {verdict}  {self.name}: {shown} {relation} {_fmt(self.limit, self.unit)}{detail}"

    def as_json(self) -> dict[str, Any]:
        return {
            "target": self.name,
            "value": self.value,
            "limit": self.limit,
            "unit": self.unit,
            "comparison": "<" if self.strict else "<=",
            "passed": self.passed,
            "detail": self.detail,
        }


def _fmt(value: float, unit: str) -> str:
    if unit == "bytes":
        return f"{value / GB:.2f} GB"
    if unit == "seconds":
        return f"{value:.1f} s" if value < 120 else f"{value / 60:.1f} min ({value:.0f} s)"
    if unit == "ratio":
        return f"{value:.2f}x"
    if unit == "share":
        return f"{value * 100:.1f} %"
    return f"{value:g} {unit}"


@dataclass
class BenchOptions:
    work_dir: Path
    orders_dir: Path
    large_dir: Path
    orders_explicit: bool = False
    large_explicit: bool = False
    engines_dir: Path | None = None
    engines_explicit: bool = False
    repeat: int = 2
    memory_limit: str | None = None
    timeout: float | None = 1800.0
    max_spill_bytes: int | None = int(30 * GB)
    interval: float = 0.2
    quiet: bool = False
    keep: bool = False  # keep the databases and cut folders after a scenario


@dataclass
class ScenarioResult:
    name: str
    data: dict[str, Any] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    checks: list[tuple[str, bool, str]] = field(default_factory=list)  # (name, passed, detail)
    failures: list[str] = field(default_factory=list)  # something that did not run to the end

    def as_json(self) -> dict[str, Any]:
        return {
            **self.data,
            "targets": [target.as_json() for target in self.targets],
            "checks": [{"check": name, "passed": ok, "detail": detail} for name, ok, detail in self.checks],
            "failures": self.failures,
        }


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- data -------------------------------------------------------------------------------------------
def raw_row_counts(folder: Path) -> dict[str, int]:
    """Rows per raw table file of a folder (Parquet metadata; CSV records counted by DuckDB)."""
    counts: dict[str, int] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith("_") or not path.is_file():
            continue
        if path.suffix == ".parquet":
            counts[path.stem] = pq.ParquetFile(path).metadata.num_rows
        elif path.suffix == ".csv":
            connection = duckdb.connect()
            quoted = str(path).replace("'", "''")
            row = connection.execute(
                f"select count(*) from read_csv('{quoted}', header = true, all_varchar = true)"
            ).fetchone()
            connection.close()
            counts[path.stem] = int(row[0]) if row else 0
    return counts


def ensure_shop(profile: str, folder: Path, explicit: bool, quiet: bool = False) -> dict[str, Any]:
    """Reuse the generated shop in ``folder`` when its _generation.json matches the profile, else generate it.

    A folder given explicitly is used as it is (it must hold customers and orders).
    """
    has_raw = folder.is_dir() and any(
        (folder / f"{table}.{suffix}").is_file()
        for table in ("customers", "orders")
        for suffix in ("csv", "parquet")
    )
    if explicit:
        if not has_raw:
            raise LivewhError(f"'{folder}' holds no customers/orders raw files.")
        return {"raw_dir": str(folder), "source": "given"}
    config = GenerateConfig.for_profile(profile, out=folder, progress=False)
    stamp = folder / "_generation.json"
    if stamp.is_file():
        written = json.loads(stamp.read_text(encoding="utf-8"))
        files_present = all((folder / name).is_file() for name in written.get("files", []))
        if (
            written.get("config") == config.describe()
            and written.get("version") == __version__
            and files_present
        ):
            say(f"bench: reusing the {profile} shop in {folder} (its _generation.json matches)")
            return {"raw_dir": str(folder), "source": "reused", "profile": profile}
    elif has_raw:
        raise LivewhError(
            f"'{folder}' holds raw files the generator did not write (no _generation.json); "
            "pass it with --orders-dir/--large-dir to use it as it is, or choose another folder."
        )
    say(f"bench: generating the {profile} profile into {folder} ...")
    started = time.perf_counter()
    report = generate(config.with_changes(progress=not quiet))
    return {
        "raw_dir": str(folder),
        "source": "generated",
        "profile": profile,
        "generate_seconds": round(time.perf_counter() - started, 1),
        "generator_seconds": round(report.seconds, 1),
    }


def latest_data_day(raw_dir: Path) -> date:
    """The latest UTC date of an order or live event in a raw folder (the default observation end)."""
    connection = duckdb.connect()
    connection.execute("set timezone = 'UTC'")
    days = []
    for table, column in (("orders", "ordered_at"), ("live_events", "event_at")):
        for suffix in ("parquet", "csv"):
            path = raw_dir / f"{table}.{suffix}"
            if not path.is_file():
                continue
            quoted = str(path).replace("'", "''")
            reader = (
                f"read_parquet('{quoted}')"
                if suffix == "parquet"
                else f"read_csv('{quoted}', all_varchar = true)"
            )
            row = connection.execute(
                f"select max(cast(timezone('UTC', try_cast({column} as timestamptz)) as date)) from {reader}"
            ).fetchone()
            if row and row[0] is not None:
                days.append(row[0])
    connection.close()
    if not days:
        raise LivewhError(f"'{raw_dir}' has no dated orders or live events.")
    return max(days)


# --- dbt runs ---------------------------------------------------------------------------------------
def _fresh(path: Path) -> Path:
    if path.is_dir():
        shutil.rmtree(path)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _drop_database(db_path: Path) -> None:
    for candidate in (db_path, db_path.with_name(db_path.name + ".wal")):
        candidate.unlink(missing_ok=True)


def steps_from_run_results(target_dir: Path) -> list[dict[str, Any]]:
    """Each node's execution time from dbt's run_results.json, slowest first."""
    results_file = target_dir / "run_results.json"
    if not results_file.is_file():
        return []
    results = json.loads(results_file.read_text(encoding="utf-8")).get("results", [])
    steps = [
        {
            "node": str(result.get("unique_id", "?")),
            "seconds": round(float(result.get("execution_time") or 0.0), 3),
            "status": str(result.get("status", "")),
        }
        for result in results
    ]
    return sorted(steps, key=lambda step: -step["seconds"])


@dataclass
class DbtMeasured:
    measured: Measured
    steps: list[dict[str, Any]]
    failures: list[str]
    raw_rows: int

    @property
    def ok(self) -> bool:
        return self.measured.ok

    def as_json(self) -> dict[str, Any]:
        measured = self.measured
        nodes = {}
        for step in self.steps:
            nodes[step["status"]] = nodes.get(step["status"], 0) + 1
        return {
            "label": measured.label,
            "command": " ".join(measured.command[: measured.command.index("--project-dir")])
            if "--project-dir" in measured.command
            else " ".join(measured.command),
            "returncode": measured.returncode,
            "stopped": measured.stopped,
            "wall_seconds": round(measured.wall_seconds, 2),
            "cpu_seconds": round(measured.cpu_seconds, 2),
            "peak_rss_bytes": measured.peak_rss_bytes,
            "peak_spill_bytes": measured.peak_spill_bytes,
            "sample_interval_seconds": measured.interval_seconds,
            "raw_rows": self.raw_rows,
            "rows_per_second": round(self.raw_rows / measured.wall_seconds)
            if measured.wall_seconds and self.raw_rows
            else None,
            "nodes": nodes,
            "sum_of_node_seconds": round(sum(step["seconds"] for step in self.steps), 2),
            "steps": self.steps,
            "failures": self.failures,
            "log": str(measured.log_path),
        }


class DbtBench:
    """dbt runs of one scenario: one parse cache, each run in its own folder with its own temp directory."""

    def __init__(self, options: BenchOptions, scenario_dir: Path) -> None:
        self.options = options
        self.dir = scenario_dir
        self.parse_cache = scenario_dir / "parse-cache"

    def env(self, db_path: Path, raw_dir: Path, temp_dir: Path) -> dict[str, str]:
        env = dbt_env(db_path, raw_dir, None)
        env[ENV_TEMP_DIRECTORY] = str(temp_dir)
        if self.options.memory_limit:
            env[ENV_MEMORY_LIMIT] = self.options.memory_limit
        return env

    def run(
        self,
        label: str,
        args: list[str],
        *,
        db_path: Path,
        raw_dir: Path,
        raw_rows: int,
        extra_env: dict[str, str] | None = None,
    ) -> DbtMeasured:
        run_dir = _fresh(self.dir / label.replace(" ", "-"))
        target_dir, log_dir = run_dir / "target", run_dir / "logs"
        # one temp directory for the scenario (emptied before each run): the profile renders it, and a
        # different value would make dbt re-parse the whole project
        temp_dir = _fresh(self.dir / "duckdb_tmp")
        target_dir.mkdir()
        if (self.parse_cache / PARTIAL_PARSE).is_file():
            shutil.copy2(self.parse_cache / PARTIAL_PARSE, target_dir / PARTIAL_PARSE)
        command = [
            *dbt_command(),
            *args,
            "--project-dir",
            str(PROJECT_ROOT),
            "--profiles-dir",
            str(PROJECT_ROOT),
            "--target-path",
            str(target_dir),
            "--log-path",
            str(log_dir),
            "--no-use-colors",
        ]
        say(f"bench: {label}: dbt {' '.join(args)}")
        measured = run_measured(
            label,
            command,
            log_path=run_dir / "output.log",
            env={**self.env(db_path, raw_dir, temp_dir), **(extra_env or {})},
            cwd=PROJECT_ROOT,
            temp_dir=temp_dir,
            interval=self.options.interval,
            timeout=self.options.timeout,
            max_spill_bytes=self.options.max_spill_bytes,
            quiet=self.options.quiet,
        )
        if (target_dir / PARTIAL_PARSE).is_file():
            self.parse_cache.mkdir(parents=True, exist_ok=True)
            shutil.copy2(target_dir / PARTIAL_PARSE, self.parse_cache / PARTIAL_PARSE)
        shutil.rmtree(temp_dir, ignore_errors=True)
        failures: list[str] = []
        if not measured.ok:
            explained = DbtRun(command, measured.returncode, target_dir, log_dir, measured.wall_seconds)
            explained.output = measured.tail(40)
            failures = [measured.stopped] if measured.stopped else []
            failures += explained.failures() or explained.error_excerpt()
        steps = steps_from_run_results(target_dir)
        say(
            f"bench: {label}: {'ok' if measured.ok else 'FAILED'} in {measured.wall_seconds:.1f} s, "
            f"peak {measured.peak_rss_bytes / GB:.2f} GB, spill {measured.peak_spill_bytes / GB:.2f} GB"
        )
        return DbtMeasured(measured, steps, failures, raw_rows)

    def warm_up(self, db_path: Path, raw_dir: Path) -> dict[str, Any]:
        """``dbt parse`` once, so the timed runs re-use the parsed project (not counted)."""
        result = self.run("parse", ["parse"], db_path=db_path, raw_dir=raw_dir, raw_rows=0)
        return {"wall_seconds": round(result.measured.wall_seconds, 2), "ok": result.ok}


def slowest(steps: list[dict[str, Any]], count: int = 8) -> list[str]:
    return [f"      {step['seconds']:8.1f} s  {step['node']}" for step in steps[:count]]


# --- scenarios --------------------------------------------------------------------------------------
def scenario_repurchase(options: BenchOptions) -> ScenarioResult:
    result = ScenarioResult("repurchase")
    shop = ensure_shop("orders", options.orders_dir, options.orders_explicit, options.quiet)
    raw_dir = Path(shop["raw_dir"]).resolve()
    floor.raw_format(raw_dir)  # refuses a folder the floor cannot model, before anything runs
    counts = raw_row_counts(raw_dir)
    raw_rows = sum(counts.values())
    scenario_dir = options.work_dir / "repurchase"
    scenario_dir.mkdir(parents=True, exist_ok=True)
    bench = DbtBench(options, scenario_dir)
    db_path = scenario_dir / "warehouse.duckdb"
    _drop_database(db_path)
    result.data.update(shop=shop, raw_rows=counts, parse_warm_up=bench.warm_up(db_path, raw_dir))
    marts: list[DbtMeasured] = []
    floors: list[dict[str, Any]] = []
    differences: list[str] = []
    mart_rows: list[floor.Row] = []
    for number in range(1, options.repeat + 1):
        _drop_database(db_path)
        mart = bench.run(
            f"mart run {number}",
            ["build", "--select", "+fct_cohort_repurchase", *NO_TESTS],
            db_path=db_path,
            raw_dir=raw_dir,
            raw_rows=raw_rows,
        )
        marts.append(mart)
        if not mart.ok:
            result.failures.append(f"mart run {number}: " + "; ".join(mart.failures))
            break
        mart_rows = floor.read_mart(db_path)
        floor_run = run_floor_measured(options, scenario_dir, number, raw_dir, raw_rows)
        floors.append(floor_run)
        if floor_run["returncode"] != 0:
            result.failures.append(f"floor run {number}: " + " | ".join(floor_run["output_tail"]))
            break
        differences += [f"run {number}: {text}" for text in floor.compare(floor_run.pop("_rows"), mart_rows)]
    result.data["mart_runs"] = [mart.as_json() for mart in marts]
    result.data["floor_runs"] = floors
    ok_marts = [mart for mart in marts if mart.ok]
    ok_floors = [run for run in floors if run["returncode"] == 0]
    if ok_marts and ok_floors and not result.failures:
        mart_wall = statistics.median(mart.measured.wall_seconds for mart in ok_marts)
        floor_wall = statistics.median(run["wall_seconds"] for run in ok_floors)
        mart_peak = max(mart.measured.peak_rss_bytes for mart in ok_marts)
        floor_peak = max(run["peak_rss_bytes"] for run in ok_floors)
        result.data["summary"] = {
            "mart_wall_seconds_median": round(mart_wall, 2),
            "floor_wall_seconds_median": round(floor_wall, 2),
            "ratio": round(mart_wall / floor_wall, 3),
            "mart_cpu_seconds_median": round(
                statistics.median(mart.measured.cpu_seconds for mart in ok_marts), 2
            ),
            "floor_cpu_seconds_median": round(statistics.median(run["cpu_seconds"] for run in ok_floors), 2),
            "mart_peak_rss_bytes": mart_peak,
            "floor_peak_rss_bytes": floor_peak,
            "mart_rows_per_second": round(raw_rows / mart_wall),
            "floor_rows_per_second": round(raw_rows / floor_wall),
        }
        walls = ", ".join(f"{mart.measured.wall_seconds:.1f}" for mart in ok_marts)
        floor_walls = ", ".join(f"{run['wall_seconds']:.1f}" for run in ok_floors)
        result.targets += [
            Target(
                "repurchase path wall time / floor wall time",
                mart_wall / floor_wall,
                2.0,
                "ratio",
                f"median of {len(ok_marts)}: mart {walls} s, floor {floor_walls} s; CPU time mart "
                f"{result.data['summary']['mart_cpu_seconds_median']:.0f} s, floor "
                f"{result.data['summary']['floor_cpu_seconds_median']:.0f} s",
            ),
            Target(
                "repurchase path peak memory (process tree)",
                float(mart_peak),
                1.9 * GB,
                "bytes",
                f"floor peak {floor_peak / GB:.2f} GB",
                strict=True,
            ),
        ]
        assumptions = ok_floors[-1]["assumptions"]
        broken = {name: count for name, count in assumptions.items() if count}
        result.checks.append(
            (
                "floor assumptions hold on the files (no shared email/phone, unique keys)",
                not broken,
                ", ".join(f"{name}: {count}" for name, count in broken.items()) or "all 0",
            )
        )
        compared = len(mart_rows)
        result.checks.append(
            (
                "floor == mart (monthly cohorts x windows; counts equal, rates within 1e-12)",
                not differences,
                f"{compared} rows compared in each of {len(ok_floors)} runs"
                + (f"; {len(differences)} differences, first: {differences[:5]}" if differences else ""),
            )
        )
    result.data["differences"] = differences[:50]
    return result


def run_floor_measured(
    options: BenchOptions, scenario_dir: Path, number: int, raw_dir: Path, raw_rows: int
) -> dict[str, Any]:
    run_dir = _fresh(scenario_dir / f"floor-run-{number}")
    temp_dir = run_dir / "duckdb_tmp"
    out = run_dir / "floor.json"
    command = [sys.executable, "-m", "livewh.bench.floor", "--raw-dir", str(raw_dir), "--out", str(out)]
    command += ["--temp-dir", str(temp_dir)]
    # the profile's default when none is given: the floor and the mart get the same cap
    memory_limit = options.memory_limit or os.environ.get(ENV_MEMORY_LIMIT) or "4GB"
    command += ["--memory-limit", memory_limit]
    say(f"bench: floor run {number}: benchmarks/floor_cohort_repurchase.sql")
    measured = run_measured(
        f"floor run {number}",
        command,
        log_path=run_dir / "output.log",
        cwd=PROJECT_ROOT,
        temp_dir=temp_dir,
        interval=options.interval,
        timeout=options.timeout,
        max_spill_bytes=options.max_spill_bytes,
        quiet=options.quiet,
    )
    shutil.rmtree(temp_dir, ignore_errors=True)
    say(
        f"bench: floor run {number}: {'ok' if measured.ok else 'FAILED'} in {measured.wall_seconds:.1f} s, "
        f"peak {measured.peak_rss_bytes / GB:.2f} GB"
    )
    data: dict[str, Any] = {
        "label": f"floor run {number}",
        "command": "python -m livewh.bench.floor (benchmarks/floor_cohort_repurchase.sql)",
        "returncode": measured.returncode if measured.stopped is None else -1,
        "stopped": measured.stopped,
        "wall_seconds": round(measured.wall_seconds, 2),
        "cpu_seconds": round(measured.cpu_seconds, 2),
        "peak_rss_bytes": measured.peak_rss_bytes,
        "peak_spill_bytes": measured.peak_spill_bytes,
        "sample_interval_seconds": measured.interval_seconds,
        "raw_rows": raw_rows,
        "rows_per_second": round(raw_rows / measured.wall_seconds) if measured.wall_seconds else None,
        "memory_limit": memory_limit,
        "output_tail": measured.tail(10),
    }
    if measured.ok and out.is_file():
        written = json.loads(out.read_text(encoding="utf-8"))
        data["script_seconds"] = round(written["script_seconds"], 2)
        data["assumptions"] = written["assumptions"]
        data["_rows"] = written["rows"]
        data["rows"] = len(written["rows"])
    return data


def scenario_large_full(options: BenchOptions) -> ScenarioResult:
    result = ScenarioResult("large-full")
    shop = ensure_shop("large", options.large_dir, options.large_explicit, options.quiet)
    raw_dir = Path(shop["raw_dir"]).resolve()
    counts = raw_row_counts(raw_dir)
    scenario_dir = options.work_dir / "large-full"
    scenario_dir.mkdir(parents=True, exist_ok=True)
    bench = DbtBench(options, scenario_dir)
    db_path = scenario_dir / "warehouse.duckdb"
    _drop_database(db_path)
    result.data.update(shop=shop, raw_rows=counts, parse_warm_up=bench.warm_up(db_path, raw_dir))
    build = bench.run(
        "build", ["build", *NO_TESTS], db_path=db_path, raw_dir=raw_dir, raw_rows=sum(counts.values())
    )
    result.data["build"] = build.as_json()
    detail = (
        f"{sum(counts.values()):,} raw rows, {build.as_json()['rows_per_second'] or 0:,} rows/s, "
        f"{build.measured.cpu_seconds:.0f} s CPU"
    )
    finished = build.ok
    result.targets += [
        Target(
            "every model, seed and snapshot (no tests): wall time",
            build.measured.wall_seconds,
            600,
            "seconds",
            detail,
        ),
        Target("peak memory (process tree)", float(build.measured.peak_rss_bytes), 6 * GB, "bytes"),
        Target("DuckDB temp spill (peak)", float(build.measured.peak_spill_bytes), 10 * GB, "bytes"),
    ]
    if not finished:
        for target in result.targets:
            target.detail = (
                (target.detail + "; " if target.detail else "")
                + "build did not finish: "
                + (build.measured.stopped or "dbt failed")
            )
        if build.measured.stopped is None:
            result.targets[0].value = None
        result.failures.append("build: " + "; ".join(build.failures))
        result.targets.append(Target("data tests on top: wall time", None, 300, "seconds", "not run"))
        return result
    tests = bench.run("tests", ["test"], db_path=db_path, raw_dir=raw_dir, raw_rows=0)
    result.data["tests"] = tests.as_json()
    result.targets.append(
        Target(
            "data tests on top (dbt test): wall time",
            tests.measured.wall_seconds if tests.measured.stopped is None else None,
            300,
            "seconds",
            ", ".join(f"{count} {status}" for status, count in sorted(tests.as_json()["nodes"].items())),
        )
    )
    if tests.measured.stopped is not None or (tests.measured.returncode != 0 and not tests.steps):
        result.failures.append("tests: " + "; ".join(tests.failures))
    elif tests.measured.returncode != 0:
        result.checks.append(("data tests pass", False, "; ".join(tests.failures[:10])))
    return result


def scenario_large_append(options: BenchOptions) -> ScenarioResult:
    result = ScenarioResult("large-append")
    shop = ensure_shop("large", options.large_dir, options.large_explicit, options.quiet)
    raw_dir = Path(shop["raw_dir"]).resolve()
    last_day = latest_data_day(raw_dir)
    scenario_dir = options.work_dir / "large-append"
    scenario_dir.mkdir(parents=True, exist_ok=True)
    before_dir = scenario_dir / f"raw-until-{last_day - timedelta(days=1)}"
    day_dir = scenario_dir / f"raw-until-{last_day}"
    say(f"bench: cutting {raw_dir} at {last_day - timedelta(days=1)}, then appending {last_day} ...")
    started = time.perf_counter()
    raw_cut(raw_dir, before_dir, last_day - timedelta(days=1))
    cut_seconds = time.perf_counter() - started
    started = time.perf_counter()
    appended = raw_cut(raw_dir, day_dir, last_day, append_from=before_dir)
    append_seconds = time.perf_counter() - started
    # the build always reads the same folder (a link moved from one export to the next), as a shop's
    # export folder would be; dbt then sees no changed setting and keeps its parsed project
    link = scenario_dir / "raw"
    _point(link, before_dir)
    bench = DbtBench(options, scenario_dir)
    db_path = scenario_dir / "warehouse.duckdb"
    _drop_database(db_path)
    before_rows = sum(raw_row_counts(before_dir).values())
    result.data.update(
        shop=shop,
        last_day=last_day.isoformat(),
        cut_seconds=round(cut_seconds, 1),
        append_cut_seconds=round(append_seconds, 1),
        appended_rows=appended.appended_rows,
        parse_warm_up=bench.warm_up(db_path, link),
    )
    first = bench.run(
        "build until day N-1", ["build", *NO_TESTS], db_path=db_path, raw_dir=link, raw_rows=before_rows
    )
    result.data["first_build"] = first.as_json()
    if not first.ok:
        result.failures.append("first build: " + "; ".join(first.failures))
        result.targets.append(
            Target(
                "append one day: second build / first build",
                None,
                0.05,
                "share",
                "first build did not finish",
            )
        )
        return result
    _point(link, day_dir)
    second = bench.run(
        "build after appending day N",
        ["build", *NO_TESTS],
        db_path=db_path,
        raw_dir=link,
        raw_rows=sum(appended.rows.values()),
    )
    result.data["append_build"] = second.as_json()
    if not second.ok:
        result.failures.append("append build: " + "; ".join(second.failures))
    share = second.measured.wall_seconds / first.measured.wall_seconds if second.ok else None
    result.targets.append(
        Target(
            "append one day: second build / first build",
            share,
            0.05,
            "share",
            f"first {first.measured.wall_seconds:.1f} s, second {second.measured.wall_seconds:.1f} s "
            f"(CPU {first.measured.cpu_seconds:.0f} s, {second.measured.cpu_seconds:.0f} s), "
            f"{sum((appended.appended_rows or {}).values()):,} rows appended",
        )
    )
    return result


def _point(link: Path, target: Path) -> None:
    if link.is_symlink() or link.is_file():
        link.unlink()
    elif link.is_dir():
        shutil.rmtree(link)
    link.symlink_to(target.resolve(), target_is_directory=True)


def clean_up(options: BenchOptions, name: str) -> None:
    """Remove a scenario's throwaway databases and cut raw folders (logs and run_results stay)."""
    scenario_dir = options.work_dir / name
    if not scenario_dir.is_dir():
        return
    for path in scenario_dir.iterdir():
        if path.is_symlink() or (path.suffix in (".duckdb", ".wal") and path.is_file()):
            path.unlink()
        elif path.name.startswith("raw-until-") and path.is_dir():
            shutil.rmtree(path)


def scenario_engines(options: BenchOptions) -> ScenarioResult:
    """The ported selection built on DuckDB and on the Spark target, same shop, no tests."""
    result = ScenarioResult("engines")
    folder = options.engines_dir or options.work_dir / "engines-shop"
    shop = ensure_shop("demo", folder, options.engines_explicit, options.quiet)
    raw_dir = Path(shop["raw_dir"]).resolve()
    counts = raw_row_counts(raw_dir)
    raw_rows = sum(counts.values())
    scenario_dir = options.work_dir / "engines"
    scenario_dir.mkdir(parents=True, exist_ok=True)
    bench = DbtBench(options, scenario_dir)
    db_path = scenario_dir / "warehouse.duckdb"
    _drop_database(db_path)
    warehouse = scenario_dir / "spark" / "warehouse"
    shutil.rmtree(warehouse.parent, ignore_errors=True)
    spark_env = {"LIVEWH_SPARK_WAREHOUSE": str(warehouse)}
    result.data.update(shop=shop, raw_rows=counts, parse_warm_up=bench.warm_up(db_path, raw_dir))
    # models and seeds only (dbt ignores --exclude beside --selector)
    selection = ["build", "--selector", "spark_ported", "--resource-type", "model", "--resource-type", "seed"]
    for key, label, args, extra in (
        ("duckdb_build", "duckdb build", selection, None),
        ("spark_build", "spark build", [*selection, "--target", "spark"], spark_env),
    ):
        run = bench.run(label, args, db_path=db_path, raw_dir=raw_dir, raw_rows=raw_rows, extra_env=extra)
        result.data[key] = run.as_json()
        result.checks.append((f"{label} finished", run.ok, "; ".join(run.failures[:5]) or "ok"))
    duck, spark = result.data["duckdb_build"], result.data["spark_build"]
    result.data["summary"] = {
        "raw_rows": raw_rows,
        "duckdb_wall_seconds": duck["wall_seconds"],
        "spark_wall_seconds": spark["wall_seconds"],
        "spark_over_duckdb": (
            round(spark["wall_seconds"] / duck["wall_seconds"], 2) if duck["wall_seconds"] else None
        ),
        "spark_cores": os.environ.get("LIVEWH_SPARK_CORES", "2 (profiles.yml default)"),
    }
    if not options.keep:
        shutil.rmtree(warehouse.parent, ignore_errors=True)
    return result


RUNNERS: dict[str, Callable[[BenchOptions], ScenarioResult]] = {
    "repurchase": scenario_repurchase,
    "large-full": scenario_large_full,
    "large-append": scenario_large_append,
    "engines": scenario_engines,
}


def report_lines(result: ScenarioResult) -> list[str]:
    lines = [f"{result.name}:"]
    lines += [target.line() for target in result.targets]
    lines += [f"  {'PASS' if ok else 'FAIL'}  check: {name} ({detail})" for name, ok, detail in result.checks]
    lines += [f"  FAIL  did not run to the end: {failure}" for failure in result.failures]
    for key in ("mart_runs", "build", "first_build", "append_build", "tests", "duckdb_build", "spark_build"):
        runs = result.data.get(key)
        if not runs:
            continue
        for run in runs if isinstance(runs, list) else [runs]:
            lines.append(
                f"  {run['label']}: {run['wall_seconds']:.1f} s wall ({run['cpu_seconds']:.0f} s CPU), "
                f"{run['peak_rss_bytes'] / GB:.2f} GB peak, {run['peak_spill_bytes'] / GB:.2f} GB spill, "
                f"{run['rows_per_second'] or 0:,} raw rows/s (0: not counted); slowest steps:"
            )
            lines += slowest(run["steps"])
    for run in result.data.get("floor_runs", []):
        lines.append(
            f"  {run['label']}: {run['wall_seconds']:.1f} s wall ({run['cpu_seconds']:.0f} s CPU; "
            f"{run.get('script_seconds', 0):.1f} s in the script), "
            f"{run['peak_rss_bytes'] / GB:.2f} GB peak, {run['rows_per_second'] or 0:,} raw rows/s"
        )
    return lines
