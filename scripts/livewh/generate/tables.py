"""The raw data contract (tables, columns, keys) and the in-memory column types the generator uses.

A table chunk is a ``Frame``: column name -> column. Numbers and timestamps are numpy int64/float64
arrays (timestamps as seconds since the epoch, money as integer hundredths of the currency unit,
``NULL_INT`` marking an empty value); text columns are :class:`Text` (a small vocabulary of arrow
strings plus one code per row, so millions of repeated values cost one int each). A frame may carry
the helper column ``_market`` (market index of the row, -1 unknown) that the CSV writer uses to pick
local UTC offsets; it is never written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ColumnKind = Literal["string", "timestamp", "money", "integer", "number", "date", "boolean"]
NULL_INT = np.iinfo(np.int64).min
MARKET_COLUMN = "_market"


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnKind
    required: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def kind(self, name: str) -> ColumnKind:
        return next(column.kind for column in self.columns if column.name == name)

    def names_of(self, *kinds: ColumnKind, required: bool | None = None) -> tuple[str, ...]:
        return tuple(
            column.name
            for column in self.columns
            if column.kind in kinds and (required is None or column.required == required)
        )

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)


def _spec(name: str, key: tuple[str, ...], *columns: tuple[str, ColumnKind, bool]) -> TableSpec:
    return TableSpec(name, tuple(Column(*column) for column in columns), key)


S, T, M, INT, NUM, D, B = "string", "timestamp", "money", "integer", "number", "date", "boolean"

CONTRACT: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        _spec(
            "customers",
            ("customer_id",),
            ("customer_id", S, True),
            ("created_at", T, True),
            ("country_code", S, False),
            ("language", S, False),
            ("acquisition_channel", S, False),
            ("email", S, False),
            ("phone", S, False),
        ),
        _spec(
            "customer_identifiers",
            (),
            ("customer_id", S, True),
            ("identifier_type", S, True),
            ("identifier_value", S, True),
            ("observed_at", T, False),
        ),
        _spec(
            "products",
            ("product_id",),
            ("product_id", S, True),
            ("category", S, True),
            ("title", S, False),
            ("list_price", M, False),
            ("currency", S, False),
        ),
        _spec(
            "orders",
            ("order_id",),
            ("order_id", S, True),
            ("customer_id", S, True),
            ("ordered_at", T, True),
            ("currency", S, True),
            ("order_total", M, True),
            ("status", S, False),
            ("sales_channel", S, False),
            ("live_session_id", S, False),
            ("shipping_country_code", S, False),
            ("delivered_at", T, False),
        ),
        _spec(
            "order_items",
            ("order_id", "line_number"),
            ("order_id", S, True),
            ("line_number", INT, True),
            ("product_id", S, True),
            ("quantity", INT, True),
            ("unit_price", M, True),
        ),
        _spec(
            "refunds",
            ("refund_id",),
            ("refund_id", S, True),
            ("order_id", S, True),
            ("refunded_at", T, True),
            ("amount", M, True),
        ),
        _spec(
            "live_sessions",
            ("session_id",),
            ("session_id", S, True),
            ("host_id", S, True),
            ("started_at", T, True),
            ("ended_at", T, True),
            ("market_country_code", S, False),
            ("language", S, False),
            ("platform", S, False),
            ("scheduled_start_at", T, False),
        ),
        _spec(
            "live_events",
            ("event_id",),
            ("event_id", S, True),
            ("session_id", S, True),
            ("viewer_id", S, True),
            ("customer_id", S, False),
            ("event_type", S, True),
            ("event_at", T, True),
            ("product_id", S, False),
            ("amount", M, False),
            ("currency", S, False),
        ),
        _spec(
            "stream_quality",
            (),
            ("session_id", S, True),
            ("sampled_at", T, True),
            ("viewer_id", S, False),
            ("country_code", S, False),
            ("latency_ms", INT, True),
            ("freeze_ms", INT, False),
            ("interval_ms", INT, False),
        ),
        _spec(
            "deletion_requests",
            (),
            ("customer_id", S, True),
            ("requested_at", T, True),
        ),
        _spec(
            "fx_rates",
            ("rate_date", "currency"),
            ("rate_date", D, True),
            ("currency", S, True),
            ("usd_per_unit", NUM, True),
        ),
        _spec(
            "campaigns",
            ("campaign_id",),
            ("campaign_id", S, True),
            ("channel", S, True),
            ("objective", S, True),
            ("started_at", T, True),
            ("name", S, False),
            ("ended_at", T, False),
            ("market_country_code", S, False),
            ("session_id", S, False),
        ),
        _spec(
            "campaign_messages",
            ("message_id",),
            ("message_id", S, True),
            ("campaign_id", S, True),
            ("customer_id", S, True),
            ("sent_at", T, True),
            ("is_control", B, True),
            ("delivered_at", T, False),
            ("opened_at", T, False),
            ("clicked_at", T, False),
        ),
        _spec(
            "memberships",
            ("customer_id", "started_at"),
            ("customer_id", S, True),
            ("tier", S, True),
            ("started_at", T, True),
            ("ended_at", T, False),
            ("points_balance", INT, False),
        ),
    )
}
CONTRACT_TABLES: tuple[str, ...] = tuple(CONTRACT)


@dataclass
class Text:
    """A text column: ``values`` (arrow strings) looked up by ``codes`` (int64, -1 = empty)."""

    values: pa.Array
    codes: np.ndarray

    @classmethod
    def of(cls, values: pa.Array | list[str | None] | np.ndarray) -> Text:
        """One code per value (no sharing): for columns whose values are mostly distinct."""
        array = values if isinstance(values, pa.Array) else pa.array(values, type=pa.string())
        if array.type != pa.string():
            array = array.cast(pa.string())
        codes = np.arange(len(array), dtype=np.int64)
        if array.null_count:
            codes[np.asarray(array.is_null())] = -1
        return cls(array, codes)

    @classmethod
    def pick(cls, vocabulary: list[str] | tuple[str, ...] | pa.Array, codes: np.ndarray) -> Text:
        """Values chosen from a vocabulary by index (-1 = empty)."""
        array = vocabulary if isinstance(vocabulary, pa.Array) else pa.array(list(vocabulary), pa.string())
        return cls(array, np.asarray(codes, dtype=np.int64))

    @classmethod
    def constant(cls, value: str | None, n: int) -> Text:
        if value is None:
            return cls(pa.array([], pa.string()), np.full(n, -1, dtype=np.int64))
        return cls(pa.array([value], pa.string()), np.zeros(n, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.codes)

    def take(self, rows: np.ndarray) -> Text:
        return Text(self.values, self.codes[rows])

    def with_nulls(self, mask: np.ndarray) -> Text:
        codes = self.codes.copy()
        codes[mask] = -1
        return Text(self.values, codes)

    def to_arrow(self) -> pa.Array:
        if len(self.values) == 0:
            return pa.nulls(len(self.codes), pa.string())
        missing = self.codes < 0
        indices = pa.array(np.where(missing, 0, self.codes), mask=missing if missing.any() else None)
        return self.values.take(indices)

    def to_list(self) -> list[str | None]:
        return self.to_arrow().to_pylist()

    @staticmethod
    def concat(parts: list[Text]) -> Text:
        """Stack text columns (their vocabularies are concatenated, codes shifted)."""
        values: list[pa.Array] = []
        codes: list[np.ndarray] = []
        offset = 0
        for part in parts:
            values.append(part.values)
            codes.append(np.where(part.codes < 0, -1, part.codes + offset))
            offset += len(part.values)
        return Text(pa.concat_arrays(values) if values else pa.array([], pa.string()), np.concatenate(codes))


ColumnData = np.ndarray | Text
Frame = dict[str, ColumnData]


def frame_rows(frame: Frame) -> int:
    return len(next(iter(frame.values()))) if frame else 0


def take_rows(frame: Frame, rows: np.ndarray) -> Frame:
    return {
        name: (column.take(rows) if isinstance(column, Text) else column[rows])
        for name, column in frame.items()
    }


def concat_frames(frames: list[Frame]) -> Frame:
    """Stack frames with the same columns."""
    names = list(frames[0])
    result: Frame = {}
    for name in names:
        columns = [frame[name] for frame in frames]
        if isinstance(columns[0], Text):
            result[name] = Text.concat([column for column in columns if isinstance(column, Text)])
        else:
            result[name] = np.concatenate(columns)
    return result


def concat_strings(*parts: pa.Array | str) -> pa.Array:
    """Element-wise concatenation of arrow string arrays and literal strings."""
    arguments = [part if isinstance(part, pa.Array) else pa.scalar(part, pa.string()) for part in parts]
    return pc.binary_join_element_wise(*arguments, "")


def int_strings(values: np.ndarray, width: int = 0) -> pa.Array:
    """Integers as decimal text, zero-padded to ``width``."""
    text = pc.cast(pa.array(values, type=pa.int64()), pa.string())
    return pc.utf8_lpad(text, width=width, padding="0") if width else text
