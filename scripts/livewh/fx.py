"""Default daily FX rates: a smooth, deterministic path around realistic 2025 levels.

The rates are not market data. Each currency follows ``level * exp(drift * years + swing * wave)``
where ``wave`` is a sum of four slow sine waves whose phases come from the currency code, so the
same currency and date always give the same rate, with no random state and no download. Rates are
rounded to 6 significant digits, which is also what the seed file stores, so the demo generator
(which converts its USD list prices with :func:`usd_per_unit`) and the warehouse (which reads the
seed) agree exactly.

``python -m livewh.fx`` writes ``seeds/fx_rates_default.csv`` (columns rate_date, currency,
usd_per_unit): one row per calendar day, weekends included, from 2023-01-01 to 2026-12-31, for every
currency in :data:`CURRENCY_PATHS` (USD included, at 1). The warehouse accepts a rate up to 7 days
stale, so a shop's own weekday-only feed works too.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from livewh import PROJECT_ROOT

SEED_PATH = PROJECT_ROOT / "seeds" / "fx_rates_default.csv"
SEED_FIRST_DATE = date(2023, 1, 1)
SEED_LAST_DATE = date(2026, 12, 31)
SIGNIFICANT_DIGITS = 6

_EPOCH = date(1970, 1, 1)
#: The date the levels below describe (the middle of 2025).
_ANCHOR_DAY = (date(2025, 7, 1) - _EPOCH).days
_WAVE_PERIODS_DAYS = (365.25, 131.0, 47.0, 17.0)
_WAVE_WEIGHTS = (0.55, 0.28, 0.12, 0.05)


@dataclass(frozen=True)
class CurrencyPath:
    """How one currency moves against the US dollar."""

    level: float  # USD per unit in mid-2025
    swing: float  # largest relative deviation of the slow waves (log scale)
    drift: float = 0.0  # log change per year (negative: the currency weakens)


CURRENCY_PATHS: dict[str, CurrencyPath] = {
    "USD": CurrencyPath(1.0, 0.0),
    "EUR": CurrencyPath(1.08, 0.035),
    "GBP": CurrencyPath(1.27, 0.03),
    "CAD": CurrencyPath(0.73, 0.025),
    "MXN": CurrencyPath(0.055, 0.05),
    "BRL": CurrencyPath(0.19, 0.06),
    "COP": CurrencyPath(0.00025, 0.055),
    "CLP": CurrencyPath(0.00107, 0.05),
    "IDR": CurrencyPath(0.000063, 0.035),
    "THB": CurrencyPath(0.028, 0.03),
    "VND": CurrencyPath(0.000040, 0.02, -0.03),
    "PHP": CurrencyPath(0.0175, 0.025),
    "MYR": CurrencyPath(0.22, 0.03),
    "SGD": CurrencyPath(0.74, 0.02),
    "AED": CurrencyPath(1 / 3.6725, 0.0),  # pegged
    "SAR": CurrencyPath(1 / 3.75, 0.0),  # pegged
    "JPY": CurrencyPath(0.0066, 0.05),
    "AUD": CurrencyPath(0.65, 0.035),
    "CHF": CurrencyPath(1.12, 0.03),
    "CNY": CurrencyPath(0.138, 0.015),
    "KRW": CurrencyPath(0.00072, 0.035),
    "INR": CurrencyPath(0.0119, 0.015, -0.03),
    "TRY": CurrencyPath(0.027, 0.02, -0.25),
    "PLN": CurrencyPath(0.25, 0.035),
    "SEK": CurrencyPath(0.094, 0.04),
}


def _phases(currency: str) -> list[float]:
    return [zlib.crc32(f"{currency}:{i}".encode()) / 2**32 * 2 * math.pi for i in range(len(_WAVE_WEIGHTS))]


def round_significant(values: np.ndarray, digits: int = SIGNIFICANT_DIGITS) -> np.ndarray:
    """Round positive values to ``digits`` significant digits."""
    exponent = np.floor(np.log10(values))
    factor = 10.0 ** (digits - 1 - exponent)
    return np.round(values * factor) / factor


def usd_per_unit_days(currency: str, days: np.ndarray) -> np.ndarray:
    """USD per unit of ``currency`` for each day (days since 1970-01-01), 6 significant digits."""
    currency = currency.strip().upper()
    try:
        path = CURRENCY_PATHS[currency]
    except KeyError:
        raise KeyError(f"no default FX path for currency {currency!r}") from None
    t = np.asarray(days, dtype=np.float64) - _ANCHOR_DAY
    wave = np.zeros_like(t)
    for period, weight, phase in zip(_WAVE_PERIODS_DAYS, _WAVE_WEIGHTS, _phases(currency), strict=True):
        wave += weight * np.sin(2 * math.pi * t / period + phase)
    rate = path.level * np.exp(path.drift * t / 365.25 + path.swing * wave)
    return round_significant(rate)


def usd_per_unit(currency: str, day: date) -> float:
    """USD per unit of ``currency`` on ``day`` (deterministic, 6 significant digits)."""
    return float(usd_per_unit_days(currency, np.array([(day - _EPOCH).days]))[0])


def format_rate(value: float) -> str:
    """A rate as a plain decimal, never in scientific notation: 1.08123, 0.0000401234, 1."""
    decimals = max(0, SIGNIFICANT_DIGITS - 1 - math.floor(math.log10(value)))
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def write_rates(path: Path, first: date, last: date, currencies: Sequence[str]) -> int:
    """Write daily rates for ``currencies`` from ``first`` to ``last`` (inclusive); return rows."""
    days = np.arange((first - _EPOCH).days, (last - _EPOCH).days + 1)
    by_currency = {currency: usd_per_unit_days(currency, days) for currency in currencies}
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["rate_date", "currency", "usd_per_unit"])
        for position, day in enumerate(days):
            rate_date = (_EPOCH + timedelta(days=int(day))).isoformat()
            for currency in currencies:
                writer.writerow([rate_date, currency, format_rate(float(by_currency[currency][position]))])
                rows += 1
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m livewh.fx", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SEED_PATH, help="file to write (default: %(default)s)")
    parser.add_argument("--first-date", type=date.fromisoformat, default=SEED_FIRST_DATE)
    parser.add_argument("--last-date", type=date.fromisoformat, default=SEED_LAST_DATE)
    args = parser.parse_args(argv)
    if args.last_date < args.first_date:
        parser.error("--last-date is before --first-date")
    rows = write_rates(args.out, args.first_date, args.last_date, sorted(CURRENCY_PATHS))
    print(f"wrote {rows} rates to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
