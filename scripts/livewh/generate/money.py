"""Money: the demo's FX rates over the generated period and local price rounding (amounts in hundredths)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from livewh.generate import fx_path

#: Currencies whose prices are quoted in steps of whole units (IDR 125,000 rather than 125,037).
PRICE_STEP_UNITS = {"IDR": 100, "VND": 1000, "COP": 100, "CLP": 10, "KRW": 100, "JPY": 10}


@dataclass(frozen=True)
class FxTable:
    """USD per unit for every currency and day of the period, from the demo's own path (:mod:`.fx_path`)."""

    currencies: tuple[str, ...]
    first_day: int
    rates: np.ndarray  # currency x day
    step_minor: np.ndarray  # currency -> price step in hundredths (1 = a cent)

    @classmethod
    def build(cls, currencies: tuple[str, ...], first_day: int, end_day: int) -> FxTable:
        days = np.arange(first_day - 7, end_day + 7)
        rates = np.vstack([fx_path.usd_per_unit_days(currency, days) for currency in currencies])
        steps = np.array([PRICE_STEP_UNITS.get(currency, 0) * 100 or 1 for currency in currencies])
        return cls(currencies, first_day - 7, rates, steps)

    def rate(self, currency: np.ndarray, day: np.ndarray) -> np.ndarray:
        column = np.clip(day - self.first_day, 0, self.rates.shape[1] - 1)
        return self.rates[currency, column]

    def local_price(self, usd: np.ndarray, currency: np.ndarray, day: np.ndarray) -> np.ndarray:
        """USD amounts as shop prices in hundredths of the local currency (x.99 or whole steps)."""
        local = usd / self.rate(currency, day)
        step = self.step_minor[currency]
        stepped = np.maximum(step, np.round(local * 100 / step) * step)
        charm = np.where(local >= 5, np.round(local) * 100 - 1, np.maximum(10, np.round(local * 10) * 10))
        return np.where(step > 1, stepped, charm).astype(np.int64)

    def round_amount(self, minor: np.ndarray, currency: np.ndarray) -> np.ndarray:
        """Round hundredths to the currency's price step (at least one step)."""
        step = self.step_minor[currency]
        return (np.maximum(1, np.round(minor / step)) * step).astype(np.int64)
