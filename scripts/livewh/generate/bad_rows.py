"""Deliberately bad rows: extra rows with exactly one defect each, recorded in ``_bad_rows.csv``.

A bad row is a copy of a clean row of the same chunk (so every other value is plausible) with one
defect applied. It gets a fresh key, so nothing references it and quarantining it never cascades;
a duplicate_key row instead repeats the key of an earlier row and is placed after it (the first copy
is the good one). Bad rows are spread through the file. CSV-only defects (text where a timestamp or
number belongs) are skipped for Parquet, whose columns are typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from livewh.enumerations import enum_values
from livewh.generate import ids
from livewh.generate.catalog import CATEGORY_CODES
from livewh.generate.config import SECONDS_PER_DAY, GenerateConfig
from livewh.generate.tables import CONTRACT, NULL_INT, Frame, Text, concat_frames, frame_rows, take_rows

#: The quarantine reasons the generator plants (the quarantine_reason enumeration, less the ones that
#: follow from other rows: a quarantined parent, an event outside its session's window, erasure).
NOT_PLANTED = frozenset({"parent_quarantined", "outside_session_window", "erased"})
REASONS = tuple(reason for reason in enum_values("quarantine_reason") if reason not in NOT_PLANTED)
CSV_ONLY = frozenset({"unparseable_timestamp", "unparseable_number"})
#: Defects that exist only as text in particular tables (a boolean column cannot hold "maybe" in Parquet).
CSV_ONLY_IN_TABLE = frozenset({("campaign_messages", "invalid_value")})

#: The defects that make sense per table, with relative weights.
DEFECTS: dict[str, tuple[tuple[str, float], ...]] = {
    "customers": (
        ("missing_required", 3),
        ("duplicate_key", 2),
        ("unparseable_timestamp", 2),
        ("future_timestamp", 1),
    ),
    "customer_identifiers": (
        ("missing_required", 2),
        ("invalid_value", 2),
        ("unknown_customer", 3),
        ("unparseable_timestamp", 1),
    ),
    "products": (
        ("missing_required", 2),
        ("duplicate_key", 2),
        ("out_of_range", 2),
        ("unparseable_number", 1),
        ("invalid_code", 1),
        ("unknown_currency", 1),
    ),
    "orders": (
        ("missing_required", 2),
        ("unparseable_timestamp", 1),
        ("unparseable_number", 1),
        ("invalid_code", 1),
        ("invalid_value", 1),
        ("out_of_range", 1),
        ("future_timestamp", 1),
        ("unknown_currency", 1),
        ("duplicate_key", 2),
        ("unknown_customer", 2),
        ("no_fx_rate", 1),
    ),
    "order_items": (
        ("missing_required", 2),
        ("unparseable_number", 1),
        ("out_of_range", 2),
        ("duplicate_key", 2),
        ("unknown_order", 2),
        ("unknown_product", 2),
    ),
    "refunds": (
        ("unknown_order", 2),
        ("out_of_range", 2),
        ("duplicate_key", 2),
        ("missing_required", 2),
        ("unparseable_timestamp", 1),
        ("unparseable_number", 1),
    ),
    "live_sessions": (
        ("end_before_start", 3),
        ("duplicate_key", 2),
        ("missing_required", 2),
        ("unparseable_timestamp", 1),
        ("future_timestamp", 1),
    ),
    "live_events": (
        ("invalid_value", 2),
        ("unknown_session", 2),
        ("unknown_customer", 2),
        ("missing_required", 2),
        ("duplicate_key", 2),
        ("unparseable_timestamp", 1),
        ("future_timestamp", 1),
    ),
    "stream_quality": (
        ("out_of_range", 2),
        ("unknown_session", 2),
        ("missing_required", 2),
        ("unparseable_number", 1),
        ("unparseable_timestamp", 1),
    ),
    "deletion_requests": (
        ("missing_required", 1),
        ("unparseable_timestamp", 1),
    ),
    "fx_rates": (
        ("out_of_range", 1),
        ("invalid_code", 1),
        ("duplicate_key", 1),
        ("missing_required", 1),
    ),
    "campaigns": (
        ("missing_required", 2),
        ("duplicate_key", 2),
        ("invalid_value", 2),
        ("end_before_start", 1),
        ("unparseable_timestamp", 1),
        ("future_timestamp", 1),
    ),
    "campaign_messages": (
        ("missing_required", 2),
        ("duplicate_key", 2),
        ("unknown_campaign", 2),
        ("unknown_customer", 2),
        ("end_before_start", 2),
        ("invalid_value", 1),
        ("unparseable_timestamp", 1),
        ("future_timestamp", 1),
    ),
    "memberships": (
        ("missing_required", 2),
        ("duplicate_key", 2),
        ("unknown_customer", 2),
        ("end_before_start", 2),
        ("out_of_range", 1),
        ("unparseable_number", 1),
        ("unparseable_timestamp", 1),
        ("future_timestamp", 1),
    ),
}
BAD_TIMESTAMPS = ("2025-13-45 25:61", "yesterday", "31/02/2025 99:00", "2025-06-31T24:61:00Z", "not a date")
BAD_NUMBERS = ("12,50abc", "1.2.3", "twelve", "9 99", "EUR12")
INVALID_CODES = ("EURO", "US$", "EU")
INVALID_VALUES = {
    "orders": ("status", "lost_in_space"),
    "live_events": ("event_type", "dance"),
    "customer_identifiers": ("identifier_type", "fax"),
    "campaigns": ("channel", "carrier_pigeon"),
}
#: A value no boolean spelling has (written as text: CSV only).
INVALID_BOOLEAN = "maybe"
OUT_OF_RANGE = {
    "orders": ("order_total",),
    "order_items": ("quantity", "unit_price"),
    "refunds": ("amount",),
    "stream_quality": ("latency_ms",),
    "products": ("list_price",),
    "fx_rates": ("usd_per_unit",),
    "memberships": ("points_balance",),
}
PRIMARY_TIMESTAMP = {
    "customers": "created_at",
    "customer_identifiers": "observed_at",
    "orders": "ordered_at",
    "refunds": "refunded_at",
    "live_sessions": "started_at",
    "live_events": "event_at",
    "stream_quality": "sampled_at",
    "deletion_requests": "requested_at",
    "campaigns": "started_at",
    "campaign_messages": "sent_at",
    "memberships": "started_at",
}
#: Timestamps that move with the primary one when a row is moved into the future.
FOLLOWING_TIMESTAMPS = {
    "live_sessions": ("ended_at", "scheduled_start_at"),
    "campaigns": ("ended_at",),
    "campaign_messages": ("delivered_at", "opened_at", "clicked_at"),
    "memberships": ("ended_at",),
}
YEAR_2099 = 4_070_908_800  # 2099-01-01T00:00:00Z
JUNE_2015 = 1_433_116_800  # 2015-06-01T00:00:00Z
RawOverrides = dict[str, tuple[np.ndarray, list[str]]]


@dataclass
class KeySpace:
    """Where fresh keys and unknown references come from (shared with the clean-row counters)."""

    next_customer: int
    next_order: Callable[[int], np.ndarray]
    next_refund: Callable[[int], np.ndarray]
    next_event: Callable[[int], np.ndarray]
    next_session: int
    next_product: int = 5_000
    next_line: int = 100
    next_fx_day: int = 0
    next_campaign: int = 0
    next_message: Callable[[int], np.ndarray] | None = None


@dataclass
class Injection:
    frame: Frame
    raw: RawOverrides
    positions: np.ndarray  # 0-based positions of bad rows in ``frame``
    reasons: list[str]


@dataclass
class BadRowMaker:
    config: GenerateConfig
    keys: KeySpace
    clean_rows: dict[str, int] = field(default_factory=dict)
    bad_rows: dict[str, int] = field(default_factory=dict)

    def inject(
        self, table: str, frame: Frame, rng: np.random.Generator, erased: np.ndarray | None = None
    ) -> Injection:
        """Add this chunk's share of bad rows; templates never come from rows the warehouse erases."""
        clean = frame_rows(frame)
        seen = self.clean_rows.get(table, 0) + clean
        made = self.bad_rows.get(table, 0)
        wanted = max(0, round(self.config.bad_row_rate * seen) - made) if clean else 0
        self.clean_rows[table] = seen
        menu = [
            (code, weight)
            for code, weight in DEFECTS[table]
            if self.config.format == "csv"
            or (code not in CSV_ONLY and (table, code) not in CSV_ONLY_IN_TABLE)
        ]
        if wanted == 0 or not menu:
            return Injection(frame, {}, np.zeros(0, dtype=np.int64), [])
        self.bad_rows[table] = made + wanted
        weights = np.array([weight for _, weight in menu])
        code_index = np.sort(rng.choice(len(menu), size=wanted, p=weights / weights.sum()))
        usable = np.flatnonzero(~erased) if erased is not None else np.arange(clean)
        if len(usable) == 0:
            self.bad_rows[table] = made
            return Injection(frame, {}, np.zeros(0, dtype=np.int64), [])
        template = usable[rng.integers(0, len(usable), wanted)]
        duplicate = np.array([menu[c][0] == "duplicate_key" for c in code_index])
        gap = np.where(
            duplicate,
            template + 1 + (rng.random(wanted) * (clean - template)).astype(np.int64),
            rng.integers(0, clean + 1, wanted),
        )
        gap = np.minimum(gap, clean)

        bad = take_rows(frame, template)
        self._fresh_keys(table, bad, ~duplicate, rng)
        raw: dict[str, tuple[list[int], list[str]]] = {}
        reasons: list[str] = []
        for index in np.unique(code_index):
            rows = np.flatnonzero(code_index == index)
            code = menu[index][0]
            self._apply(table, code, bad, rows, raw, rng)
            reasons.extend([code] * len(rows))

        merged = concat_frames([frame, bad])
        sort_key = np.concatenate([2 * np.arange(clean) + 1, 2 * gap])
        order = np.argsort(sort_key, kind="stable")
        position_of = np.empty(len(order), dtype=np.int64)
        position_of[order] = np.arange(len(order))
        positions = position_of[clean:]
        raw_final = {column: (positions[np.array(rows)], values) for column, (rows, values) in raw.items()}
        return Injection(take_rows(merged, order), raw_final, positions, reasons)

    # ------------------------------------------------------------------------------------------
    def _fresh_keys(self, table: str, bad: Frame, rows_mask: np.ndarray, rng: np.random.Generator) -> None:
        rows = np.flatnonzero(rows_mask)
        n = len(rows)
        if n == 0:
            return
        keys = self.keys
        if table == "customers":
            fresh = ids.customer_ids(keys.next_customer + np.arange(n), rng.random(n) < 0.5)
            keys.next_customer += n
            _set_text(bad, "customer_id", rows, fresh)
        elif table == "orders":
            _set_text(bad, "order_id", rows, ids.order_ids(keys.next_order(n)))
        elif table == "refunds":
            _set_text(bad, "refund_id", rows, ids.refund_ids(keys.next_refund(n)))
        elif table == "live_events":
            _set_text(bad, "event_id", rows, ids.event_ids(keys.next_event(n)))
        elif table == "live_sessions":
            _set_text(bad, "session_id", rows, ids.session_ids(keys.next_session + np.arange(n)))
            keys.next_session += n
        elif table == "products":
            codes = pa.array(CATEGORY_CODES).take(pa.array(rng.integers(0, len(CATEGORY_CODES), n)))
            number = pa.array(np.char.zfill((keys.next_product + np.arange(n)).astype(str), 4).tolist())
            keys.next_product += n
            _set_text(
                bad,
                "product_id",
                rows,
                pa.array(
                    [f"SKU-{c}-{x}" for c, x in zip(codes.to_pylist(), number.to_pylist(), strict=True)]
                ),
            )
        elif table == "order_items":
            line = bad["line_number"]
            assert isinstance(line, np.ndarray)
            line[rows] = keys.next_line + np.arange(n)
            keys.next_line += n
        elif table == "fx_rates":
            day = bad["rate_date"]
            assert isinstance(day, np.ndarray)
            day[rows] = keys.next_fx_day - 1 - np.arange(n)
            keys.next_fx_day -= n
        elif table == "campaigns":
            _set_text(bad, "campaign_id", rows, ids.campaign_ids(keys.next_campaign + np.arange(n)))
            keys.next_campaign += n
        elif table == "campaign_messages":
            assert keys.next_message is not None
            _set_text(bad, "message_id", rows, ids.message_ids(keys.next_message(n)))
        elif table == "memberships":
            # a spell of the same account starting a few seconds later: a key no clean row has
            started = bad["started_at"]
            assert isinstance(started, np.ndarray)
            started[rows] += 1 + rng.integers(0, 50, n)

    def _apply(
        self,
        table: str,
        code: str,
        bad: Frame,
        rows: np.ndarray,
        raw: dict[str, tuple[list[int], list[str]]],
        rng: np.random.Generator,
    ) -> None:
        spec = CONTRACT[table]
        n = len(rows)
        if code == "missing_required":
            required = spec.required
            chosen = rng.integers(0, len(required), n)
            for index, name in enumerate(required):
                _set_null(bad, name, rows[chosen == index])
        elif code == "unparseable_timestamp":
            name = PRIMARY_TIMESTAMP[table]
            _set_raw(raw, name, rows, [BAD_TIMESTAMPS[i] for i in rng.integers(0, len(BAD_TIMESTAMPS), n)])
        elif code == "unparseable_number":
            names = spec.names_of("money", "integer", "number", required=True) or spec.names_of(
                "money", "integer", "number"
            )
            name = names[-1]
            _set_raw(raw, name, rows, [BAD_NUMBERS[i] for i in rng.integers(0, len(BAD_NUMBERS), n)])
        elif code == "invalid_code":
            _set_text(
                bad,
                "currency",
                rows,
                pa.array([INVALID_CODES[i] for i in rng.integers(0, len(INVALID_CODES), n)]),
            )
        elif code == "unknown_currency":
            _set_text(bad, "currency", rows, pa.array(["QQQ"] * n))
        elif code == "invalid_value" and table == "campaign_messages":
            _set_raw(raw, "is_control", rows, [INVALID_BOOLEAN] * n)
        elif code == "invalid_value":
            name, value = INVALID_VALUES[table]
            _set_text(bad, name, rows, pa.array([value] * n))
        elif code == "out_of_range":
            names = OUT_OF_RANGE[table]
            chosen = rng.integers(0, len(names), n)
            for index, name in enumerate(names):
                picked = rows[chosen == index]
                column = bad[name]
                assert isinstance(column, np.ndarray)
                if name == "quantity":
                    column[picked] = 0
                elif name in ("amount", "usd_per_unit"):
                    column[picked] = np.where(rng.random(len(picked)) < 0.5, 0, -np.abs(column[picked]) - 1)
                else:
                    column[picked] = -np.abs(
                        np.where(column[picked] == NULL_INT, 100, column[picked])
                    ) - rng.integers(1, 500, len(picked))
        elif code == "end_before_start" and table == "campaign_messages":
            # opened before it was sent (a sent message: a control row cannot be opened)
            sent, opened, control = bad["sent_at"], bad["opened_at"], bad["is_control"]
            assert (
                isinstance(sent, np.ndarray)
                and isinstance(opened, np.ndarray)
                and isinstance(control, np.ndarray)
            )
            control[rows] = 0
            opened[rows] = sent[rows] - rng.integers(5, 90, n) * 60
            for name in ("delivered_at", "clicked_at"):
                values = bad[name]
                assert isinstance(values, np.ndarray)
                values[rows] = np.where(
                    values[rows] == NULL_INT, NULL_INT, np.maximum(values[rows], sent[rows])
                )
        elif code == "end_before_start":
            start, end = bad["started_at"], bad["ended_at"]
            assert isinstance(start, np.ndarray) and isinstance(end, np.ndarray)
            end[rows] = start[rows] - rng.integers(5, 90, n) * 60
        elif code == "future_timestamp":
            name = PRIMARY_TIMESTAMP[table]
            column = bad[name]
            assert isinstance(column, np.ndarray)
            shift = YEAR_2099 + column[rows] % (364 * SECONDS_PER_DAY) - column[rows]
            column[rows] += shift
            for other in FOLLOWING_TIMESTAMPS.get(table, ()):
                values = bad[other]
                assert isinstance(values, np.ndarray)
                values[rows] = np.where(values[rows] == NULL_INT, NULL_INT, values[rows] + shift)
            if table == "orders":
                _set_null(bad, "delivered_at", rows)
                _set_text(bad, "status", rows, pa.array(["placed"] * n))
        elif code == "duplicate_key":
            pass
        elif code == "unknown_customer":
            _set_text(bad, "customer_id", rows, ids.unknown_customer_ids(n, rng))
        elif code == "unknown_order":
            _set_text(bad, "order_id", rows, ids.unknown_order_ids(n, rng))
        elif code == "unknown_campaign":
            _set_text(bad, "campaign_id", rows, ids.unknown_campaign_ids(n, rng))
        elif code == "unknown_session":
            _set_text(bad, "session_id", rows, ids.unknown_session_ids(n, rng))
        elif code == "unknown_product":
            codes = pa.array(CATEGORY_CODES).take(pa.array(rng.integers(0, len(CATEGORY_CODES), n)))
            _set_text(bad, "product_id", rows, ids.unknown_product_ids(codes, rng))
        elif code == "no_fx_rate":
            ordered = bad["ordered_at"]
            total = bad["order_total"]
            assert isinstance(ordered, np.ndarray) and isinstance(total, np.ndarray)
            ordered[rows] = JUNE_2015 + ordered[rows] % SECONDS_PER_DAY
            total[rows] = rng.integers(10, 150, n) * 100 - 1
            _set_text(bad, "currency", rows, pa.array(["EUR"] * n))
            _set_text(bad, "status", rows, pa.array(["completed"] * n))
            _set_null(bad, "delivered_at", rows)
        else:  # pragma: no cover - guarded by DEFECTS
            raise ValueError(f"unknown defect {code}")


def _set_text(frame: Frame, name: str, rows: np.ndarray, values: pa.Array) -> None:
    column = frame[name]
    assert isinstance(column, Text)
    codes = column.codes.copy()
    codes[rows] = len(column.values) + np.arange(len(rows))
    frame[name] = Text(pa.concat_arrays([column.values, values.cast(pa.string())]), codes)


def _set_null(frame: Frame, name: str, rows: np.ndarray) -> None:
    column = frame[name]
    if isinstance(column, Text):
        frame[name] = column.with_nulls(np.isin(np.arange(len(column)), rows))
    elif column.dtype.kind == "f":
        column[rows] = np.nan
    else:
        column[rows] = NULL_INT


def _set_raw(
    raw: dict[str, tuple[list[int], list[str]]], name: str, rows: np.ndarray, values: list[str]
) -> None:
    positions, texts = raw.setdefault(name, ([], []))
    positions.extend(int(row) for row in rows)
    texts.extend(values)
