"""Writing frames as contract files: streaming CSV (mixed timestamp spellings) or Parquet row groups.

CSV: UTF-8, header, comma, empty field = null, quotes only where needed (commas, quotes, line
breaks, leading or trailing spaces). Timestamps are ISO 8601 in a mix shops produce: UTC with
``Z`` (about half), the market's local time with its offset such as ``+07:00`` (about 30%), and
without offset, meaning UTC (about 20%); deletion requests are sometimes logged as a date only.
Money has two decimals.

Parquet: identifiers and codes as strings, timestamps as ``timestamp[ms, tz=UTC]``, money as
``decimal(18, 2)``, counts and milliseconds as int64, rates as double, dates as date32; one row
group per chunk (at most a million rows), zstd compression.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from livewh import fx
from livewh.generate.config import SECONDS_PER_DAY
from livewh.generate.markets import OffsetTable
from livewh.generate.tables import MARKET_COLUMN, NULL_INT, ColumnKind, Frame, TableSpec, Text

_FIRST_VOCAB_DAY = 0  # 1970-01-01
_VOCAB_DAYS = 47_847  # through 2100-12-31


def _fixed_width_text(parts: list[np.ndarray]) -> pa.Array:
    """Strings from columns of ASCII bytes (one uint8 array per character position)."""
    width = len(parts)
    return pa.array(np.column_stack(parts).astype(np.uint8).view(f"S{width}").ravel()).cast(pa.string())


@cache
def _dates() -> pa.Array:
    """ "YYYY-MM-DD" for every day from 1970 to 2100 (index = days since 1970-01-01)."""
    return pa.array(np.datetime_as_string(np.arange(_VOCAB_DAYS).astype("datetime64[D]")))


@cache
def _times() -> pa.Array:
    """ "THH:MM:SS" for every second of a day."""
    second = np.arange(SECONDS_PER_DAY)
    digit = [
        second // 36000,
        second // 3600 % 10,
        second // 600 % 6,
        second // 60 % 10,
        second // 10 % 6,
        second % 10,
    ]
    zero, t, colon = ord("0"), np.full(SECONDS_PER_DAY, ord("T")), np.full(SECONDS_PER_DAY, ord(":"))
    return _fixed_width_text(
        [
            t,
            digit[0] + zero,
            digit[1] + zero,
            colon,
            digit[2] + zero,
            digit[3] + zero,
            colon,
            digit[4] + zero,
            digit[5] + zero,
        ]
    )


TIMESTAMP_STYLE_SHARE = np.array([0.5, 0.3, 0.2])  # Z, local offset, no offset
DATE_ONLY_COLUMNS = frozenset({"requested_at"})
MAX_ROWS_PER_BATCH = 500_000
PARQUET_TYPES: dict[ColumnKind, pa.DataType] = {
    "string": pa.string(),
    "timestamp": pa.timestamp("ms", tz="UTC"),
    "money": pa.decimal128(18, 2),
    "integer": pa.int64(),
    "number": pa.float64(),
    "date": pa.date32(),
    "boolean": pa.bool_(),
}


def money_array(minor: np.ndarray) -> pa.Array:
    """Integer hundredths as decimal(18, 2), exactly (NULL_INT = empty)."""
    values = np.asarray(minor, dtype=np.int64)
    missing = values == NULL_INT
    low = np.where(missing, 0, values)
    words = np.column_stack([low, np.where(low < 0, -1, 0)]).astype(np.int64)
    array = pa.Array.from_buffers(pa.decimal128(18, 2), len(values), [None, pa.py_buffer(words.tobytes())])
    if missing.any():
        array = pc.if_else(pa.array(missing), pa.scalar(None, pa.decimal128(18, 2)), array)
    return array


def _int_array(values: np.ndarray) -> pa.Array:
    values = np.asarray(values, dtype=np.int64)
    missing = values == NULL_INT
    return pa.array(values, type=pa.int64(), mask=missing if missing.any() else None)


def _bool_array(values: np.ndarray) -> pa.Array:
    """1/0 as true/false (NULL_INT = empty)."""
    values = np.asarray(values, dtype=np.int64)
    missing = values == NULL_INT
    return pa.array(values == 1, type=pa.bool_(), mask=missing if missing.any() else None)


def _quote(values: pa.Array) -> pa.Array:
    needs = pc.or_(
        pc.match_substring_regex(values, r'[",\r\n]'), pc.match_substring_regex(values, r"^\s|\s$")
    )
    quoted = pc.binary_join_element_wise(
        pa.scalar('"'), pc.replace_substring(values, '"', '""'), pa.scalar('"'), ""
    )
    return pc.if_else(needs, quoted, values)


def _offset_suffixes(offsets: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    unique, inverse = np.unique(offsets, return_inverse=True)
    texts = []
    for seconds in unique:
        sign = "+" if seconds >= 0 else "-"
        minutes = abs(int(seconds)) // 60
        texts.append(f"{sign}{minutes // 60:02d}:{minutes % 60:02d}")
    return pa.array(texts), inverse


@dataclass
class CsvFormatter:
    """Turns frame columns into CSV text columns."""

    offsets: OffsetTable

    def timestamps(
        self, seconds: np.ndarray, market: np.ndarray, style: np.ndarray, date_only: bool
    ) -> pa.Array:
        missing = seconds == NULL_INT
        style = np.where((style == 1) & (market < 0), 0, style)
        offset = np.where(style == 1, self.offsets.offset(market, np.where(missing, 0, seconds)), 0)
        local = np.where(missing, 0, seconds) + offset
        day = np.clip(local // SECONDS_PER_DAY - _FIRST_VOCAB_DAY, 0, _VOCAB_DAYS - 1)
        text = pc.binary_join_element_wise(
            _dates().take(pa.array(day)), _times().take(pa.array(local % SECONDS_PER_DAY)), ""
        )
        suffixes, inverse = _offset_suffixes(offset)
        suffix = pc.if_else(
            pa.array(style == 1), suffixes.take(pa.array(inverse)), pc.if_else(pa.array(style == 0), "Z", "")
        )
        text = pc.binary_join_element_wise(text, suffix, "")
        if date_only:
            midnight = (seconds % SECONDS_PER_DAY == 0) & ~missing
            text = pc.if_else(pa.array(midnight), _dates().take(pa.array(day)), text)
        return pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), text) if missing.any() else text

    def column(self, kind: ColumnKind, data: np.ndarray | Text) -> pa.Array:
        if isinstance(data, Text):
            vocabulary = _quote(data.values) if len(data.values) else data.values
            return Text(vocabulary, data.codes).to_arrow()
        if kind == "money":
            return pc.cast(money_array(data), pa.string())
        if kind == "integer":
            return pc.cast(_int_array(data), pa.string())
        if kind == "date":
            missing = data == NULL_INT
            return pc.if_else(
                pa.array(missing),
                pa.scalar(None, pa.string()),
                _dates().take(pa.array(np.where(missing, 0, data))),
            )
        if kind == "boolean":
            return _bool_array(data).cast(pa.string())
        if kind == "number":
            return pa.array(
                [None if np.isnan(v) else (fx.format_rate(v) if v > 0 else repr(float(v))) for v in data],
                pa.string(),
            )
        raise ValueError(f"unexpected column kind {kind}")


def _write_lines(handle: BinaryIO, columns: list[pa.Array]) -> None:
    lines = pc.binary_join_element_wise(*columns, ",", null_handling="replace", null_replacement="")
    lines = pc.binary_join_element_wise(lines, pa.scalar("\n"), "")
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32, count=len(lines) + 1, offset=lines.offset * 4)
    data = lines.buffers()[2]
    if data is not None:
        handle.write(memoryview(data)[offsets[0] : offsets[-1]])


@dataclass
class TableWriter:
    """One contract file, written chunk by chunk (``rows``: rows handed to it so far)."""

    path: Path
    spec: TableSpec
    file_format: str
    formatter: CsvFormatter
    rows: int = 0
    _handle: BinaryIO | None = None
    _parquet: pq.ParquetWriter | None = None
    _schema: pa.Schema | None = field(default=None)

    def write(
        self, frame: Frame, raw: dict[str, tuple[np.ndarray, list[str]]], rng: np.random.Generator
    ) -> None:
        """Append a chunk (``rows`` is counted by the caller, which may write from another thread)."""
        n = len(next(iter(frame.values())))
        if self.file_format == "csv":
            self._write_csv(frame, raw, n, rng)
        else:
            self._write_parquet(frame, n)

    def _write_csv(
        self, frame: Frame, raw: dict[str, tuple[np.ndarray, list[str]]], n: int, rng: np.random.Generator
    ) -> None:
        if self._handle is None:
            self._handle = self.path.open("wb")
            self._handle.write((",".join(self.spec.column_names) + "\n").encode())
        market = frame.get(MARKET_COLUMN)
        market = np.full(n, -1) if market is None else np.asarray(market)
        style = rng.choice(3, size=n, p=TIMESTAMP_STYLE_SHARE)
        for start in range(0, n, MAX_ROWS_PER_BATCH):
            stop = min(n, start + MAX_ROWS_PER_BATCH)
            columns = []
            for column in self.spec.columns:
                data = frame[column.name]
                part = data.take(np.arange(start, stop)) if isinstance(data, Text) else data[start:stop]
                if column.kind == "timestamp":
                    assert isinstance(part, np.ndarray)
                    text = self.formatter.timestamps(
                        part, market[start:stop], style[start:stop], column.name in DATE_ONLY_COLUMNS
                    )
                else:
                    text = self.formatter.column(column.kind, part)
                if column.name in raw:
                    positions, values = raw[column.name]
                    inside = (positions >= start) & (positions < stop)
                    if inside.any():
                        order = np.argsort(positions[inside], kind="stable")
                        mask = np.zeros(stop - start, dtype=bool)
                        mask[positions[inside] - start] = True
                        replacement = pa.array(
                            [values[i] for i in np.flatnonzero(inside)[order]], pa.string()
                        )
                        text = pc.replace_with_mask(text, pa.array(mask), _quote(replacement))
                columns.append(text)
            _write_lines(self._handle, columns)

    def _write_parquet(self, frame: Frame, n: int) -> None:
        if self._schema is None:
            self._schema = pa.schema([pa.field(c.name, PARQUET_TYPES[c.kind]) for c in self.spec.columns])
            self._parquet = pq.ParquetWriter(self.path, self._schema, compression="zstd")
        arrays = []
        for column in self.spec.columns:
            data = frame[column.name]
            if isinstance(data, Text):
                arrays.append(data.to_arrow())
            elif column.kind == "timestamp":
                missing = data == NULL_INT
                arrays.append(
                    pa.array(
                        np.where(missing, 0, data) * 1000,
                        type=PARQUET_TYPES["timestamp"],
                        mask=missing if missing.any() else None,
                    )
                )
            elif column.kind == "money":
                arrays.append(money_array(data))
            elif column.kind == "integer":
                arrays.append(_int_array(data))
            elif column.kind == "boolean":
                arrays.append(_bool_array(data))
            elif column.kind == "date":
                missing = data == NULL_INT
                arrays.append(
                    pa.array(
                        np.where(missing, 0, data).astype(np.int32),
                        type=pa.date32(),
                        mask=missing if missing.any() else None,
                    )
                )
            else:
                arrays.append(pa.array(data, type=pa.float64(), from_pandas=True))
        assert self._parquet is not None
        self._parquet.write_table(pa.Table.from_arrays(arrays, schema=self._schema), row_group_size=1_000_000)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
        if self._parquet is not None:
            self._parquet.close()
        if self._handle is None and self._parquet is None:  # no chunk at all: header-only file
            if self.file_format == "csv":
                self.path.write_text(",".join(self.spec.column_names) + "\n", encoding="utf-8")
            else:
                schema = pa.schema([pa.field(c.name, PARQUET_TYPES[c.kind]) for c in self.spec.columns])
                pq.write_table(schema.empty_table(), self.path, compression="zstd")
