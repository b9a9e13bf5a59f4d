"""The ``bench`` sub-command: run the scenarios, print PASS/MISS per target, write the JSON results."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

from livewh import PROJECT_ROOT, __version__
from livewh.bench.scenarios import (
    GB,
    RUNNERS,
    SCENARIOS,
    BenchOptions,
    ScenarioResult,
    clean_up,
    report_lines,
    say,
)
from livewh.errors import EXIT_FAILED

DEFAULT_WORK_DIR = PROJECT_ROOT / "build" / "bench"
DEFAULT_ORDERS_DIR = PROJECT_ROOT / "data" / "orders"
DEFAULT_LARGE_DIR = PROJECT_ROOT / "data" / "large"

DESCRIPTION = """\
The scale benchmark (issue 10). Generates (or reuses, when the folder's _generation.json matches)
the large profile and the orders-heavy shop (profile orders), builds them with dbt into throwaway
databases under the work folder, and prints per-step and total wall time, peak memory of the whole
process tree, DuckDB temp spill and raw rows per second, with a PASS/MISS line per target; writes
everything to a JSON file. Scenarios:
  repurchase    orders shop: dbt build --select +fct_cohort_repurchase (no tests) against the
                hand-written DuckDB floor (benchmarks/floor_cohort_repurchase.sql), alternated and
                repeated; checks that both give the same monthly cohort table
  large-full    large profile: every model, seed and snapshot (no tests), then dbt test
  large-append  large profile cut at day N-1 and built, then day N appended and built again
  engines       the same shop (default: the demo profile) built by dbt build --selector
                spark_ported (models and seeds) on DuckDB and on the Spark target (issue 15); no
                target
A MISS is reported, not an error: the command exits 0 unless a run failed, was stopped, or a check
(floor == mart, data tests) failed.
"""


def _seconds(text: str) -> float | None:
    value = float(text)
    return value if value > 0 else None


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``bench`` sub-command."""
    parser = subparsers.add_parser(
        "bench",
        help="the scale benchmark: build large shops, measure time, memory and spill against the targets",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--scenarios",
        nargs="+",
        choices=SCENARIOS,
        default=list(SCENARIOS),
        help="which to run (default: all)",
    )
    parser.add_argument(
        "--orders-dir",
        metavar="DIR",
        help="the orders-heavy shop: used as it is when given; default data/orders (generated or reused)",
    )
    parser.add_argument(
        "--large-dir",
        metavar="DIR",
        help="the large shop: used as it is when given; default data/large (generated or reused)",
    )
    parser.add_argument(
        "--engines-dir",
        metavar="DIR",
        help="the shop of the engines scenario: used as it is when given; default build/bench/engines-shop "
        "(the demo profile, generated or reused)",
    )
    parser.add_argument(
        "--repeat", type=int, default=2, metavar="N", help="repurchase runs of each (default: 2)"
    )
    parser.add_argument("--out", metavar="FILE", help="results JSON (default: build/bench/results.json)")
    parser.add_argument(
        "--work-dir", metavar="DIR", help="databases, logs, cut folders (default: build/bench)"
    )
    parser.add_argument(
        "--memory-limit",
        metavar="SIZE",
        help="DuckDB memory_limit of every run, e.g. 6GB "
        "(default: $LIVEWH_DUCKDB_MEMORY_LIMIT, else the profile's 4GB)",
    )
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=1800.0,
        metavar="SECONDS",
        help="stop a run after this long and report it (default: 1800; 0 = never)",
    )
    parser.add_argument(
        "--max-spill",
        type=float,
        default=30.0,
        metavar="GB",
        help="stop a run whose DuckDB temp files pass this size (default: 30; 0 = never)",
    )
    parser.add_argument(
        "--interval", type=float, default=0.2, metavar="SECONDS", help="sampling interval (default: 0.2)"
    )
    parser.add_argument("--quiet", action="store_true", help="no heartbeat lines while a run is going")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the scenario databases and cut raw folders (default: removed)",
    )
    parser.set_defaults(handler=run)


def _path(value: str | None, default: Path) -> tuple[Path, bool]:
    return (Path(value).expanduser().resolve(), True) if value else (default, False)


def machine() -> dict[str, Any]:
    def version(package: str) -> str | None:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return None

    return {
        "cpus": os.cpu_count(),
        "memory_bytes": psutil.virtual_memory().total,
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": version("duckdb"),
        "dbt_core": version("dbt-core"),
        "dbt_duckdb": version("dbt-duckdb"),
        "livewh": __version__,
    }


def write_results(
    out: Path,
    results: dict[str, ScenarioResult],
    started: dict[str, str],
    machines: dict[str, dict[str, Any]],
    options: dict[str, Any],
) -> None:
    """Write (merge) the results: scenarios run now replace earlier ones in the same file."""
    earlier: dict[str, Any] = {}
    if out.is_file():
        try:
            earlier = json.loads(out.read_text(encoding="utf-8")).get("scenarios", {})
        except (OSError, ValueError):
            earlier = {}
    scenarios = dict(earlier)
    for name, result in results.items():
        scenarios[name] = {
            "measured_at": started[name],
            "machine": machines[name],
            "options": options,
            **result.as_json(),
        }
    out.parent.mkdir(parents=True, exist_ok=True)
    document = {"generated_by": "livewh bench", "note": "GB = 10^9 bytes", "scenarios": scenarios}
    out.write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")


def run(args: argparse.Namespace) -> int:
    """``livewh bench``."""
    orders_dir, orders_explicit = _path(args.orders_dir, DEFAULT_ORDERS_DIR)
    large_dir, large_explicit = _path(args.large_dir, DEFAULT_LARGE_DIR)
    work_dir, _ = _path(args.work_dir, DEFAULT_WORK_DIR)
    engines_dir, engines_explicit = _path(args.engines_dir, work_dir / "engines-shop")
    out, _ = _path(args.out, work_dir / "results.json")
    if args.repeat < 1:
        raise SystemExit("livewh bench: --repeat must be at least 1")
    options = BenchOptions(
        work_dir=work_dir,
        orders_dir=orders_dir,
        large_dir=large_dir,
        orders_explicit=orders_explicit,
        large_explicit=large_explicit,
        engines_dir=engines_dir,
        engines_explicit=engines_explicit,
        repeat=args.repeat,
        memory_limit=args.memory_limit,
        timeout=args.timeout,
        max_spill_bytes=int(args.max_spill * GB) if args.max_spill > 0 else None,
        interval=args.interval,
        quiet=args.quiet,
        keep=args.keep,
    )
    recorded = {
        "repeat": args.repeat,
        "memory_limit": args.memory_limit
        or os.environ.get("LIVEWH_DUCKDB_MEMORY_LIMIT")
        or "4GB (profile default)",
        "timeout_seconds": args.timeout,
        "max_spill_gb": args.max_spill,
        "sample_interval_seconds": args.interval,
    }
    started: dict[str, str] = {}
    machines: dict[str, dict[str, Any]] = {}
    results: dict[str, ScenarioResult] = {}
    lines: list[str] = []
    for name in args.scenarios:
        say(f"bench: scenario {name}")
        started[name] = datetime.now(UTC).isoformat(timespec="seconds")
        machines[name] = machine()  # with the load average before the scenario starts
        try:
            result = RUNNERS[name](options)
        finally:
            if not options.keep:
                clean_up(options, name)
        results[name] = result
        write_results(out, results, started, machines, recorded)
        lines += report_lines(result)
        print("\n".join(report_lines(result)), flush=True)
    print(f"results: {out}")
    failed = any(result.failures or not all(ok for _, ok, _ in result.checks) for result in results.values())
    return EXIT_FAILED if failed else 0


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - used through livewh
    parser = argparse.ArgumentParser(prog="livewh")
    register(parser.add_subparsers())
    args = parser.parse_args(["bench", *(argv or sys.argv[1:])])
    return int(args.handler(args))
