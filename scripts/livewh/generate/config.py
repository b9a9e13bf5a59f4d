"""Generator settings, size profiles and the random streams every module draws from."""

from __future__ import annotations

import zlib
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from livewh.generate.tables import CONTRACT_TABLES

SECONDS_PER_DAY = 86_400
EPOCH = date(1970, 1, 1)
FORMATS = ("csv", "parquet")


#: The shop an orders-heavy profile simulates: its tables and its markets (those paying in USD, EUR or GBP).
ORDERS_SHOP_TABLES = ("customers", "orders", "refunds", "fx_rates")
ORDERS_SHOP_MARKETS = ("US", "GB", "DE", "FR", "ES", "IT", "NL")


@dataclass(frozen=True)
class Profile:
    """Default sizes of one profile; explicit options override them.

    ``shop`` is what is simulated: ``live`` (the live-commerce shop with every contract table) or
    ``orders`` (an orders-heavy shop: customers, orders, refunds and its own daily FX rates only;
    one account per person, so no two accounts share an email or phone; see orders_shop.py).
    """

    customers: int
    days: int
    hosts: int
    products: int
    format: str
    out: Path
    shop: str = "live"
    markets: tuple[str, ...] | None = None  # None: every demo market


PROFILES: dict[str, Profile] = {
    "demo": Profile(customers=5_000, days=540, hosts=25, products=300, format="csv", out=Path("data/demo")),
    "large": Profile(
        customers=1_000_000, days=540, hosts=300, products=5_000, format="parquet", out=Path("data/large")
    ),
    "orders": Profile(
        customers=1_000_000,
        days=540,
        hosts=10,
        products=300,
        format="parquet",
        out=Path("data/orders"),
        shop="orders",
        markets=ORDERS_SHOP_MARKETS,
    ),
}


@dataclass(frozen=True)
class GenerateConfig:
    """Everything that decides the generated files: same config, same bytes."""

    out: Path = Path("data/demo")
    profile: str = "demo"
    customers: int = 5_000
    days: int = 540
    start_date: date = date(2025, 1, 1)
    seed: int = 42
    format: str = "csv"
    bad_row_rate: float = 0.0
    tables: tuple[str, ...] | None = None  # None: every contract table
    hosts: int = 25
    products: int = 300
    chunk_size: int = 50_000  # accounts simulated (and written) together
    progress: bool = field(default=True, compare=False)

    def __post_init__(self) -> None:
        if self.profile not in PROFILES:
            raise ValueError(f"unknown profile {self.profile!r}; choose from {', '.join(PROFILES)}")
        if self.format not in FORMATS:
            raise ValueError(f"unknown format {self.format!r}; choose from {', '.join(FORMATS)}")
        for name in ("customers", "days", "hosts", "products", "chunk_size"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.products < 20:
            raise ValueError("products must be at least 20 (two per category)")
        if not 0.0 <= self.bad_row_rate <= 0.5:
            raise ValueError("bad_row_rate must be between 0 and 0.5")
        if self.seed < 0:
            raise ValueError("seed must be a non-negative integer")
        if self.tables is not None:
            unknown = sorted(set(self.tables) - set(CONTRACT_TABLES))
            if unknown:
                raise ValueError(f"unknown tables: {', '.join(unknown)}; known: {', '.join(CONTRACT_TABLES)}")
            if self.shop == "orders" and not set(self.tables) <= set(ORDERS_SHOP_TABLES):
                other = sorted(set(self.tables) - set(ORDERS_SHOP_TABLES))
                raise ValueError(
                    f"profile {self.profile!r} writes only {', '.join(ORDERS_SHOP_TABLES)}; "
                    f"not {', '.join(other)}"
                )

    @classmethod
    def for_profile(cls, profile: str = "demo", **overrides: Any) -> GenerateConfig:
        """The profile's default sizes, format and folder, with ``overrides`` (None values ignored)."""
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; choose from {', '.join(PROFILES)}")
        defaults = PROFILES[profile]
        values: dict[str, Any] = {
            "profile": profile,
            "customers": defaults.customers,
            "days": defaults.days,
            "hosts": defaults.hosts,
            "products": defaults.products,
            "format": defaults.format,
            "out": defaults.out,
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)

    @property
    def shop(self) -> str:
        """What the profile simulates: ``live`` (every contract table) or ``orders`` (see Profile)."""
        return PROFILES[self.profile].shop

    @property
    def shop_tables(self) -> tuple[str, ...]:
        """The tables this shop can write (``--tables`` chooses among them)."""
        return ORDERS_SHOP_TABLES if self.shop == "orders" else CONTRACT_TABLES

    @property
    def markets(self) -> tuple[str, ...] | None:
        """The market codes of the profile (None: every demo market)."""
        return PROFILES[self.profile].markets

    def with_changes(self, **changes: Any) -> GenerateConfig:
        return replace(self, **changes)

    @property
    def first_day(self) -> int:
        """First generated day, as days since 1970-01-01."""
        return (self.start_date - EPOCH).days

    @property
    def end_day(self) -> int:
        """The day after the last generated day (exclusive bound)."""
        return self.first_day + self.days

    @property
    def start_ts(self) -> int:
        """Start of the generated period, seconds since the epoch (UTC)."""
        return self.first_day * SECONDS_PER_DAY

    @property
    def end_ts(self) -> int:
        """End of the generated period (exclusive), seconds since the epoch (UTC)."""
        return self.end_day * SECONDS_PER_DAY

    def wants(self, table: str) -> bool:
        return table in (self.shop_tables if self.tables is None else self.tables)

    def describe(self) -> dict[str, Any]:
        """The settings that shape the data (for ``_generation.json``; no paths, no timings)."""
        values = asdict(self)
        for name in ("out", "progress"):
            values.pop(name)
        values["start_date"] = self.start_date.isoformat()
        values["tables"] = list(self.tables) if self.tables is not None else None
        return values


def stream(seed: int, name: str, *keys: int) -> np.random.Generator:
    """An independent random stream for one purpose (and chunk): PCG64 seeded by (seed, name, keys)."""
    sequence = np.random.SeedSequence([seed, zlib.crc32(name.encode()), *keys])
    return np.random.Generator(np.random.PCG64(sequence))
