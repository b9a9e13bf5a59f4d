"""The ``livewh predict`` sub-command (registered by livewh.cli; the work is in livewh.predict.bench)."""

from __future__ import annotations

import argparse
from datetime import date

from livewh.errors import LivewhError


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2025-06-30, not '{value}'") from None


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``livewh predict`` to the command line."""
    parser = subparsers.add_parser(
        "predict",
        help="run and time the repeat-purchase prediction step on a warehouse file (read-only)",
        description="Fit BG/NBD and Gamma-Gamma at the observation end and at the backtest's calibration "
        "end, predict every buyer and backtest, exactly as the dbt models of models/marts/predictions do, on "
        "main.fct_orders of a warehouse file. Writes nothing; prints the parameters, the backtest's overall "
        "figures, the seconds of each part and the peak memory.",
    )
    parser.add_argument(
        "--db", metavar="PATH", help="the warehouse file (default: $LIVEWH_DB_PATH, else warehouse.duckdb)"
    )
    parser.add_argument(
        "--holdout-days", type=int, default=90, metavar="N", help="backtest holdout in days (default: 90)"
    )
    parser.add_argument(
        "--min-repeat-buyers",
        type=int,
        default=30,
        metavar="N",
        help="fit a model only with at least N repeat buyers (default: 30)",
    )
    parser.add_argument(
        "--as-of", type=_date, metavar="YYYY-MM-DD", help="observation end (default: the file's own)"
    )
    parser.set_defaults(handler=_command)


def _command(args: argparse.Namespace) -> int:
    from livewh.paths import resolve_db_path
    from livewh.predict import bench

    if args.holdout_days < 1:
        raise LivewhError("--holdout-days must be at least 1.")
    result = bench.run(resolve_db_path(args.db), args.holdout_days, args.min_repeat_buyers, args.as_of)
    print("\n".join(bench.report_lines(result)))
    return 0
