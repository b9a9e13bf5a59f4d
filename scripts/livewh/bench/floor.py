"""The hand-written DuckDB floor of the repurchase path, and the comparison with the mart.

``run_floor(raw_dir)`` runs ``benchmarks/floor_cohort_repurchase.sql`` on a raw folder of an
orders-only shop and returns the monthly cohort table and the script's assumption checks.
``python -m livewh.bench.floor --raw-dir DIR --out FILE`` does the same in its own process (so the
benchmark measures it like dbt, from the outside) and writes the result as JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from livewh import PROJECT_ROOT
from livewh.errors import LivewhError

FLOOR_SQL = PROJECT_ROOT / "benchmarks" / "floor_cohort_repurchase.sql"
SEEDS_DIR = PROJECT_ROOT / "seeds"
#: The tables the floor reads, and the ones it does not model (a folder holding them is refused).
FLOOR_TABLES = ("customers", "orders", "refunds", "fx_rates")
UNMODELLED_TABLES = ("customer_identifiers", "deletion_requests", "live_sessions", "live_events")
COLUMNS = (
    "cohort_label",
    "cohort_start_date",
    "cohort_end_date",
    "window_days",
    "cohort_size",
    "eligible_customers",
    "censored_customers",
    "repurchasers",
    "repurchase_rate",
    "repurchasers_observed",
    "naive_repurchase_rate",
)
RATE_COLUMNS = ("repurchase_rate", "naive_repurchase_rate")
RATE_TOLERANCE = 1e-12
MART_QUERY = (
    f"select {', '.join(COLUMNS)} from main.fct_cohort_repurchase "
    "where cohort_grain = 'month' order by cohort_start_date, window_days"
)

Row = dict[str, Any]


@dataclass
class FloorResult:
    rows: list[Row]
    assumptions: dict[str, int]
    seconds: float

    @property
    def assumptions_hold(self) -> bool:
        return all(count == 0 for count in self.assumptions.values())


def raw_format(raw_dir: Path) -> str:
    """The format ('csv' or 'parquet') of the floor's tables in ``raw_dir``; refuses what it cannot model."""
    formats = set()
    for table in FLOOR_TABLES:
        found = [suffix for suffix in ("parquet", "csv") if (raw_dir / f"{table}.{suffix}").is_file()]
        if len(found) != 1:
            raise LivewhError(
                f"the floor needs one {table}.parquet or {table}.csv in '{raw_dir}' (found {len(found)})."
            )
        formats.add(found[0])
    if len(formats) != 1:
        raise LivewhError(
            f"the floor needs its four tables in one format in '{raw_dir}', not {sorted(formats)}."
        )
    present = [
        table
        for table in UNMODELLED_TABLES
        if any((raw_dir / f"{table}.{suffix}").is_file() for suffix in ("parquet", "csv"))
    ]
    if present:
        raise LivewhError(
            f"'{raw_dir}' holds {', '.join(present)}: the floor models an orders-only shop "
            "(generate one with `livewh generate --profile orders`)."
        )
    return formats.pop()


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def run_floor(
    raw_dir: Path,
    *,
    memory_limit: str | None = None,
    temp_dir: Path | None = None,
    as_of: str | None = None,
) -> FloorResult:
    """Run the floor script on ``raw_dir`` (an orders-only shop) and return its table and checks."""
    raw_dir = Path(raw_dir).resolve()
    extension = raw_format(raw_dir)
    connection = duckdb.connect()
    try:
        if memory_limit:
            connection.execute(f"set memory_limit = '{memory_limit}'")
        if temp_dir is not None:
            connection.execute(f"set temp_directory = '{_quoted(str(temp_dir))}'")
        connection.execute(f"set variable raw_dir = '{_quoted(str(raw_dir))}'")
        connection.execute(f"set variable raw_ext = '{extension}'")
        connection.execute(f"set variable seeds_dir = '{_quoted(str(SEEDS_DIR))}'")
        if as_of:
            connection.execute(f"set variable as_of_date = date '{date.fromisoformat(as_of).isoformat()}'")
        started = time.perf_counter()
        connection.execute(FLOOR_SQL.read_text(encoding="utf-8"))
        seconds = time.perf_counter() - started
        names = [column[0] for column in connection.description or []]
        rows = [dict(zip(names, map(_plain, row), strict=True)) for row in connection.fetchall()]
        assumptions = dict(connection.execute("select * from floor_assumptions").fetchall())
    finally:
        connection.close()
    return FloorResult(rows, {str(key): int(value) for key, value in assumptions.items()}, seconds)


def _quoted(text: str) -> str:
    return text.replace("'", "''")


def read_mart(db_path: Path) -> list[Row]:
    """The month rows of main.fct_cohort_repurchase, in the floor's column order."""
    connection = duckdb.connect(str(db_path), read_only=True)
    try:
        cursor = connection.execute(MART_QUERY)
        names = [column[0] for column in cursor.description or []]
        return [dict(zip(names, map(_plain, row), strict=True)) for row in cursor.fetchall()]
    finally:
        connection.close()


def compare(floor_rows: list[Row], mart_rows: list[Row]) -> list[str]:
    """Differences of two cohort tables: rows on one side only, unequal counts, rates off by > 1e-12."""

    def key(row: Row) -> tuple[str, int]:
        return str(row["cohort_label"]), int(row["window_days"])

    floor = {key(row): row for row in floor_rows}
    mart = {key(row): row for row in mart_rows}
    differences = [
        f"only in the floor: {label} {window} days" for label, window in sorted(floor.keys() - mart.keys())
    ]
    differences += [
        f"only in the mart: {label} {window} days" for label, window in sorted(mart.keys() - floor.keys())
    ]
    if len(floor) != len(floor_rows) or len(mart) != len(mart_rows):
        differences.append("a cohort and window appears twice")
    for row_key in sorted(floor.keys() & mart.keys()):
        for column in COLUMNS:
            ours, theirs = floor[row_key].get(column), mart[row_key].get(column)
            if column in RATE_COLUMNS:
                same = (ours is None and theirs is None) or (
                    ours is not None
                    and theirs is not None
                    and math.isclose(float(ours), float(theirs), rel_tol=0.0, abs_tol=RATE_TOLERANCE)
                )
            else:
                same = ours == theirs
            if not same:
                differences.append(
                    f"{row_key[0]} {row_key[1]} days, {column}: floor {ours!r}, mart {theirs!r}"
                )
    return differences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m livewh.bench.floor",
        description="Run benchmarks/floor_cohort_repurchase.sql on an orders-only raw folder; write JSON.",
    )
    parser.add_argument("--raw-dir", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path, help="JSON file: rows, assumptions, seconds")
    parser.add_argument("--memory-limit", help="DuckDB memory_limit (default: DuckDB's)")
    parser.add_argument("--temp-dir", type=Path, help="DuckDB temp_directory (spill)")
    parser.add_argument("--as-of", help="observation end, YYYY-MM-DD (default: the latest order date)")
    args = parser.parse_args(argv)
    try:
        result = run_floor(
            args.raw_dir, memory_limit=args.memory_limit, temp_dir=args.temp_dir, as_of=args.as_of
        )
    except LivewhError as error:
        print(f"floor: {error.message}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {"rows": result.rows, "assumptions": result.assumptions, "script_seconds": result.seconds},
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
