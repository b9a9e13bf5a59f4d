"""The ``generate`` sub-command (``livewh generate`` or ``python -m livewh.generate``)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from livewh.generate.config import FORMATS, PROFILES, GenerateConfig
from livewh.generate.pipeline import generate
from livewh.generate.tables import CONTRACT_TABLES

DESCRIPTION = """\
Write demo raw data: one file per raw-contract table (customers, orders, live sessions and events,
...) for a cross-border live-commerce shop, plus hidden helpers (_truth_persons.csv: the true person
behind each account; _bad_rows.csv: every injected bad row; _generation.json: settings and counts).
Same options and seed give byte-identical files.
"""


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _table_list(text: str) -> tuple[str, ...]:
    tables = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in tables if name not in CONTRACT_TABLES]
    if unknown or not tables:
        raise argparse.ArgumentTypeError(
            f"unknown tables {', '.join(unknown)}; known: {', '.join(CONTRACT_TABLES)}"
        )
    return tables


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 0.5:
        raise argparse.ArgumentTypeError("must be between 0 and 0.5")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sizes = "; ".join(
        f"{name}: {p.customers:,} accounts, {p.days} days, {p.hosts} hosts, {p.products:,} products, "
        f"{p.format} in {p.out}"
        + (" (orders-heavy shop: customers, orders, refunds, fx_rates)" if p.shop == "orders" else "")
        for name, p in PROFILES.items()
    )
    folders = ", ".join(f"{p.out} for {name}" for name, p in PROFILES.items())
    parser.add_argument("--out", type=Path, help=f"output folder (default: the profile's: {folders})")
    parser.add_argument("--profile", choices=tuple(PROFILES), default="demo", help=f"default sizes ({sizes})")
    parser.add_argument("--customers", type=_positive_int, help="number of accounts")
    parser.add_argument("--days", type=_positive_int, help="length of the period in days")
    parser.add_argument(
        "--start-date",
        type=date.fromisoformat,
        default=date(2025, 1, 1),
        help="first day, YYYY-MM-DD (default: %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=42, help="random seed (default: %(default)s)")
    parser.add_argument(
        "--format", choices=FORMATS, help="file format (default: csv for demo, parquet for large and orders)"
    )
    parser.add_argument(
        "--bad-row-rate",
        type=_rate,
        default=0.0,
        help="extra deliberately bad rows per table, as a fraction of its rows (default: %(default)s)",
    )
    parser.add_argument("--tables", type=_table_list, help="only write these tables, e.g. customers,orders")
    parser.add_argument("--hosts", type=_positive_int, help="number of live hosts")
    parser.add_argument("--products", type=_positive_int, help="number of products (at least 20)")
    parser.add_argument(
        "--chunk-size", type=_positive_int, default=50_000, help="accounts per chunk (default: %(default)s)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines")


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``generate`` sub-command to a CLI's subparsers."""
    parser = subparsers.add_parser(
        "generate",
        help="write demo raw data files",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(parser)
    parser.set_defaults(func=run)
    return parser


def config_from_args(args: argparse.Namespace) -> GenerateConfig:
    return GenerateConfig.for_profile(
        args.profile,
        out=args.out,
        customers=args.customers,
        days=args.days,
        start_date=args.start_date,
        seed=args.seed,
        format=args.format,
        bad_row_rate=args.bad_row_rate,
        tables=args.tables,
        hosts=args.hosts,
        products=args.products,
        chunk_size=args.chunk_size,
        progress=not args.quiet,
    )


def run(args: argparse.Namespace) -> int:
    try:
        config = config_from_args(args)
    except ValueError as error:
        print(f"generate: {error}", file=sys.stderr)
        return 2
    report = generate(config)
    total = sum(report.values())
    bad = sum(report.bad_rows.values())
    print(
        f"generate: wrote {total:,} rows ({bad:,} deliberately bad) in {len(report)} tables to {report.out} "
        f"in {report.seconds:.1f}s",
        file=sys.stderr,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m livewh.generate",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))
