"""The demo shop's own exchange rates: a smooth, deterministic path around 2025 levels.

These rates are made up, on purpose: they are the demo shop's raw data, written into the demo
folder as ``fx_rates`` (like a real shop's rate file), and never the warehouse's default rates
(those are the ECB's reference rates, see :mod:`livewh.fx`). Because the demo carries its own
file, its USD figures do not depend on which real rates the installed package ships.

Each currency follows ``level * exp(drift * years + swing * wave)`` where ``wave`` is a sum of four
slow sine waves whose phases come from the currency code, so the same currency and date always give
the same rate, with no random state and no download. Rates are rounded to 6 significant digits,
which is also what the written file holds, so the generator (which converts its USD list prices
with these rates) and the warehouse (which reads the file) agree exactly.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from datetime import date

import numpy as np

from livewh.fx import round_significant

_EPOCH = date(1970, 1, 1)
#: The date the levels below describe (the middle of 2025).
_ANCHOR_DAY = (date(2025, 7, 1) - _EPOCH).days
_WAVE_PERIODS_DAYS = (365.25, 131.0, 47.0, 17.0)
_WAVE_WEIGHTS = (0.55, 0.28, 0.12, 0.05)


@dataclass(frozen=True)
class CurrencyPath:
    """How one currency moves against the US dollar in the demo."""

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


def usd_per_unit_days(currency: str, days: np.ndarray) -> np.ndarray:
    """USD per unit of ``currency`` for each day (days since 1970-01-01), 6 significant digits."""
    currency = currency.strip().upper()
    try:
        path = CURRENCY_PATHS[currency]
    except KeyError:
        raise KeyError(f"no demo FX path for currency {currency!r}") from None
    t = np.asarray(days, dtype=np.float64) - _ANCHOR_DAY
    wave = np.zeros_like(t)
    for period, weight, phase in zip(_WAVE_PERIODS_DAYS, _WAVE_WEIGHTS, _phases(currency), strict=True):
        wave += weight * np.sin(2 * math.pi * t / period + phase)
    rate = path.level * np.exp(path.drift * t / 365.25 + path.swing * wave)
    return round_significant(rate)


def usd_per_unit(currency: str, day: date) -> float:
    """USD per unit of ``currency`` on ``day`` in the demo (deterministic, 6 significant digits)."""
    return float(usd_per_unit_days(currency, np.array([(day - _EPOCH).days]))[0])
