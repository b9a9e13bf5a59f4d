"""The demo shop's markets: who lives where, which languages, currencies, time zones and distances.

Time zones, regions and currencies come from ``seeds/country_reference.csv`` (the single source the
warehouse uses too); this module adds what only the demo needs (market sizes, languages spoken by
shoppers, streaming latency, delivery times, phone formats, names).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa

from livewh import PROJECT_ROOT
from livewh.enumerations import enum_values
from livewh.generate.config import SECONDS_PER_DAY

COUNTRY_REFERENCE = PROJECT_ROOT / "seeds" / "country_reference.csv"
CHANNEL_MAP = PROJECT_ROOT / "seeds" / "acquisition_channel_map.csv"


@dataclass(frozen=True)
class MarketProfile:
    code: str
    weight: float  # relative share of accounts
    languages: tuple[tuple[str, float], ...]  # languages shoppers use, with shares
    latency_ms: float  # median end-to-end latency of a healthy broadcast (the studio streams from Asia)
    delivery_days: tuple[int, int]  # cross-border delivery time, fastest and slowest
    calling_code: str
    area_codes: tuple[str, ...]
    name_pool: str


MARKET_PROFILES: tuple[MarketProfile, ...] = (
    MarketProfile(
        "US", 14, (("en", 0.8), ("es", 0.2)), 650, (8, 15), "1", ("212", "310", "415", "512", "617"), "anglo"
    ),
    MarketProfile(
        "CA", 4, (("en", 0.75), ("fr", 0.25)), 680, (9, 17), "1", ("416", "514", "604", "403"), "anglo"
    ),
    MarketProfile("GB", 7, (("en", 1.0),), 520, (7, 13), "44", ("20", "161", "121", "131"), "anglo"),
    MarketProfile(
        "DE", 5, (("de", 0.9), ("en", 0.1)), 540, (7, 14), "49", ("30", "40", "89", "69", "221"), "euro"
    ),
    MarketProfile("FR", 4, (("fr", 1.0),), 560, (8, 15), "33", ("1", "4", "6", "7"), "euro"),
    MarketProfile("ES", 3, (("es", 1.0),), 600, (9, 16), "34", ("91", "93", "96", "95"), "latin"),
    MarketProfile("IT", 3, (("it", 1.0),), 620, (9, 17), "39", ("02", "06", "011", "055"), "euro"),
    MarketProfile(
        "NL", 2, (("nl", 0.85), ("en", 0.15)), 530, (7, 13), "31", ("20", "10", "30", "70"), "euro"
    ),
    MarketProfile(
        "ID", 10, (("id", 0.92), ("en", 0.08)), 360, (6, 13), "62", ("21", "22", "31", "812"), "sea"
    ),
    MarketProfile("TH", 7, (("th", 1.0),), 300, (4, 9), "66", ("2", "81", "89", "86"), "sea"),
    MarketProfile("VN", 6, (("vi", 1.0),), 330, (5, 10), "84", ("24", "28", "90", "91"), "sea"),
    MarketProfile("PH", 8, (("en", 0.7), ("tl", 0.3)), 380, (6, 12), "63", ("2", "917", "918", "927"), "sea"),
    MarketProfile("MY", 5, (("ms", 0.6), ("en", 0.4)), 280, (4, 8), "60", ("3", "12", "16", "17"), "sea"),
    MarketProfile("SG", 3, (("en", 0.7), ("zh", 0.3)), 220, (3, 6), "65", ("6", "8", "9"), "sea"),
    MarketProfile("MX", 6, (("es", 1.0),), 780, (11, 20), "52", ("55", "33", "81"), "latin"),
    MarketProfile("BR", 6, (("pt", 1.0),), 1000, (15, 25), "55", ("11", "21", "31", "41"), "latin"),
    MarketProfile("CO", 2, (("es", 1.0),), 950, (13, 23), "57", ("1", "4", "5", "300"), "latin"),
    MarketProfile("CL", 2, (("es", 1.0),), 1050, (14, 24), "56", ("2", "9", "32"), "latin"),
    MarketProfile("AE", 2, (("ar", 0.5), ("en", 0.5)), 450, (7, 13), "971", ("4", "2", "50", "55"), "mena"),
    MarketProfile("SA", 2, (("ar", 0.9), ("en", 0.1)), 520, (8, 15), "966", ("11", "12", "50", "55"), "mena"),
)

NAME_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "anglo": (
        (
            "james",
            "olivia",
            "liam",
            "emma",
            "noah",
            "ava",
            "mason",
            "sophia",
            "ethan",
            "mia",
            "jack",
            "grace",
        ),
        ("smith", "johnson", "brown", "taylor", "wilson", "davies", "martin", "clarke", "walker", "wright"),
    ),
    "euro": (
        ("lukas", "marie", "paul", "lea", "louis", "chiara", "matteo", "sofia", "daan", "jonas", "camille"),
        (
            "mueller",
            "schmidt",
            "dubois",
            "moreau",
            "rossi",
            "ferrari",
            "jansen",
            "devries",
            "bakker",
            "fischer",
        ),
    ),
    "latin": (
        (
            "maria",
            "jose",
            "lucia",
            "diego",
            "camila",
            "mateo",
            "valentina",
            "santiago",
            "ana",
            "juan",
            "isabela",
        ),
        (
            "garcia",
            "lopez",
            "martinez",
            "silva",
            "santos",
            "gonzalez",
            "rodriguez",
            "perez",
            "oliveira",
            "torres",
        ),
    ),
    "sea": (
        (
            "budi",
            "siti",
            "linh",
            "minh",
            "somchai",
            "nattaya",
            "maricel",
            "aisyah",
            "wei",
            "mei",
            "rizal",
            "putri",
        ),
        ("santoso", "wijaya", "tran", "pham", "srisuk", "reyes", "cruz", "tan", "lim", "abdullah", "rahman"),
    ),
    "mena": (
        ("mohammed", "fatima", "ahmed", "aisha", "omar", "layla", "yousef", "noor", "khalid", "mariam"),
        ("hassan", "ali", "ibrahim", "khan", "mansour", "haddad", "nasser", "salem", "farouk", "aziz"),
    ),
}

CHANNEL_TAXONOMY: tuple[str, ...] = enum_values("acquisition_channel")


def _utc_offset(zone: ZoneInfo, utc_seconds: int) -> int:
    offset = datetime.fromtimestamp(utc_seconds, UTC).astimezone(zone).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


class OffsetTable:
    """UTC offsets (seconds) of each market's time zone, hour by hour, DST included."""

    def __init__(self, time_zones: tuple[str, ...], first_day: int, end_day: int) -> None:
        self.base = (first_day - 400) * SECONDS_PER_DAY
        days = end_day - first_day + 800
        self.table = np.empty((len(time_zones), days * 24), dtype=np.int64)
        for row, name in enumerate(time_zones):
            zone = ZoneInfo(name)
            daily = [_utc_offset(zone, self.base + day * SECONDS_PER_DAY) for day in range(days + 1)]
            self.table[row] = np.repeat(daily[:-1], 24)
            for day in np.flatnonzero(np.diff(daily)):  # a DST change that day: hour by hour
                start = self.base + int(day) * SECONDS_PER_DAY
                hours = [_utc_offset(zone, start + hour * 3600) for hour in range(24)]
                self.table[row, int(day) * 24 : int(day) * 24 + 24] = hours

    def offset(self, market: np.ndarray, utc_seconds: np.ndarray) -> np.ndarray:
        """Offset of local time from UTC at each instant (0 where the market is unknown)."""
        hour = np.clip((utc_seconds - self.base) // 3600, 0, self.table.shape[1] - 1)
        known = market >= 0
        return np.where(known, self.table[np.where(known, market, 0), hour], 0)

    def to_utc(self, market: np.ndarray, local_seconds: np.ndarray) -> np.ndarray:
        """UTC instants of local wall-clock times (a time skipped by DST moves an hour)."""
        guess = local_seconds - self.offset(market, local_seconds)
        return local_seconds - self.offset(market, guess)

    def local_day(self, market: np.ndarray, utc_seconds: np.ndarray) -> np.ndarray:
        return (utc_seconds + self.offset(market, utc_seconds)) // SECONDS_PER_DAY

    def day_start(self, market: np.ndarray, local_day: np.ndarray) -> np.ndarray:
        return self.to_utc(market, local_day * SECONDS_PER_DAY)


@dataclass(frozen=True)
class Markets:
    """The markets as parallel arrays (index = market number)."""

    codes: tuple[str, ...]
    regions: tuple[str, ...]
    time_zones: tuple[str, ...]
    currencies: tuple[str, ...]  # distinct currencies, sorted
    currency: np.ndarray  # market -> index into currencies
    weight: np.ndarray  # shares summing to 1
    latency_ms: np.ndarray
    delivery_days_min: np.ndarray
    delivery_days_max: np.ndarray
    calling_codes: tuple[str, ...]
    area_codes: tuple[tuple[str, ...], ...]
    name_pools: tuple[str, ...]
    languages: tuple[str, ...]  # distinct primary language subtags
    language_choices: tuple[tuple[np.ndarray, np.ndarray], ...]  # market -> (language indices, shares)
    offsets: OffsetTable

    @property
    def count(self) -> int:
        return len(self.codes)

    def index(self, code: str) -> int:
        return self.codes.index(code)


def read_country_reference(path: Path = COUNTRY_REFERENCE) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return {row["country_code"]: row for row in csv.DictReader(handle)}


def load_markets(
    first_day: int,
    end_day: int,
    reference: Path = COUNTRY_REFERENCE,
    codes: tuple[str, ...] | None = None,
) -> Markets:
    """The demo markets (or only those in ``codes``, in MARKET_PROFILES order) with their reference data."""
    unknown = sorted(set(codes or ()) - {profile.code for profile in MARKET_PROFILES})
    if unknown:
        raise ValueError(f"not demo markets: {', '.join(unknown)}")
    profiles = tuple(profile for profile in MARKET_PROFILES if codes is None or profile.code in codes)
    countries = read_country_reference(reference)
    missing = [profile.code for profile in profiles if profile.code not in countries]
    if missing:
        raise ValueError(f"{reference} lacks the demo markets {', '.join(missing)}")
    rows = [countries[profile.code] for profile in profiles]
    market_currencies = [row["currency"] for row in rows]
    currencies = tuple(sorted(set(market_currencies) | {"USD"}))
    languages = tuple(sorted({language for profile in profiles for language, _ in profile.languages}))
    weights = np.array([profile.weight for profile in profiles], dtype=np.float64)
    time_zones = tuple(row["time_zone"] for row in rows)
    return Markets(
        codes=tuple(profile.code for profile in profiles),
        regions=tuple(row["region"] for row in rows),
        time_zones=time_zones,
        currencies=currencies,
        currency=np.array([currencies.index(code) for code in market_currencies], dtype=np.int64),
        weight=weights / weights.sum(),
        latency_ms=np.array([profile.latency_ms for profile in profiles]),
        delivery_days_min=np.array([profile.delivery_days[0] for profile in profiles]),
        delivery_days_max=np.array([profile.delivery_days[1] for profile in profiles]),
        calling_codes=tuple(profile.calling_code for profile in profiles),
        area_codes=tuple(profile.area_codes for profile in profiles),
        name_pools=tuple(profile.name_pool for profile in profiles),
        languages=languages,
        language_choices=tuple(
            (
                np.array([languages.index(language) for language, _ in profile.languages]),
                np.array([share for _, share in profile.languages]) / sum(s for _, s in profile.languages),
            )
            for profile in profiles
        ),
        offsets=OffsetTable(time_zones, first_day, end_day),
    )


def language_tag_forms(language: str, country: str) -> list[tuple[str, float]]:
    """How exports spell one language of one market, with shares: en, en-US, EN, en-us, pt-BR..."""
    if language == "zh":
        return [("zh", 0.3), (f"zh-Hans-{country}", 0.45), (f"zh-{country}", 0.25)]
    return [
        (language, 0.45),
        (f"{language}-{country}", 0.38),
        (language.upper(), 0.07),
        (f"{language}-{country.lower()}", 0.05),
        (f"{language.upper()}-{country}", 0.05),
    ]


@dataclass(frozen=True)
class LanguageTags:
    """Every tag spelling the demo uses, and per (market, language) the spellings to draw from."""

    values: pa.Array
    forms: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]]  # (market, language) -> (tag codes, shares)

    @classmethod
    def build(cls, markets: Markets) -> LanguageTags:
        values: list[str] = []
        forms: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        for market in range(markets.count):  # every pair: a host may target a market in a foreign language
            for language in range(len(markets.languages)):
                spellings = language_tag_forms(markets.languages[language], markets.codes[market])
                codes = []
                for tag, _share in spellings:
                    if tag not in values:
                        values.append(tag)
                    codes.append(values.index(tag))
                shares = np.array([share for _, share in spellings])
                forms[(market, int(language))] = (np.array(codes), shares / shares.sum())
        return cls(pa.array(values, pa.string()), forms)

    def draw(self, market: np.ndarray, language: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A tag code for each (market, language) pair."""
        result = np.empty(len(market), dtype=np.int64)
        pair = market.astype(np.int64) * 1000 + language
        for key in np.unique(pair):
            rows = np.flatnonzero(pair == key)
            codes, shares = self.forms[(int(key // 1000), int(key % 1000))]
            result[rows] = codes[rng.choice(len(codes), size=len(rows), p=shares)]
        return result


_SPELLING_SHARES = (0.62, 0.14, 0.08, 0.08, 0.08)  # as mapped, Title Case, UPPER, leading / trailing space


@dataclass(frozen=True)
class ChannelSpellings:
    """Raw acquisition_channel texts per taxonomy value, with the case and spacing variants shops export."""

    values: pa.Array
    by_channel: tuple[tuple[np.ndarray, np.ndarray], ...]  # taxonomy index -> (spelling codes, shares)
    unmapped: int  # code of "billboard", a value the mapping does not know

    @classmethod
    def build(cls, path: Path = CHANNEL_MAP) -> ChannelSpellings:
        with path.open(encoding="utf-8") as handle:
            mapping = [(row["raw_value"], row["acquisition_channel"]) for row in csv.DictReader(handle)]
        values: list[str] = []
        codes: list[list[int]] = [[] for _ in CHANNEL_TAXONOMY]
        shares: list[list[float]] = [[] for _ in CHANNEL_TAXONOMY]
        for raw, channel in mapping:
            if channel not in CHANNEL_TAXONOMY:
                raise ValueError(f"{path}: unknown taxonomy value {channel!r}")
            taxonomy = CHANNEL_TAXONOMY.index(channel)
            variants = (raw, raw.title(), raw.upper(), f" {raw}", f"{raw.title()} ")
            for variant, share in zip(variants, _SPELLING_SHARES, strict=True):
                if variant in values:  # "n/a".title() == "n/a".upper(): count the share once more
                    shares[taxonomy][codes[taxonomy].index(values.index(variant))] += share
                    continue
                values.append(variant)
                codes[taxonomy].append(len(values) - 1)
                shares[taxonomy].append(share)
        values.append("billboard")
        return cls(
            pa.array(values, pa.string()),
            tuple(
                (np.array(c, dtype=np.int64), np.array(s) / sum(s))
                for c, s in zip(codes, shares, strict=True)
            ),
            len(values) - 1,
        )

    def draw(self, channel: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A raw spelling for each taxonomy index; spellings exactly as mapped are the most common."""
        result = np.empty(len(channel), dtype=np.int64)
        for index, (codes, shares) in enumerate(self.by_channel):
            rows = np.flatnonzero(channel == index)
            if len(rows):
                result[rows] = codes[rng.choice(len(codes), size=len(rows), p=shares)]
        return result
