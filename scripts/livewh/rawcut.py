"""Cut a raw folder at a date: the shop's exports as they stood at the end of that day (UTC).

``raw_cut(source, out, until)`` writes a copy of ``source`` keeping, in each raw file, only the
rows whose own timestamp falls on or before ``until`` (its UTC date), in their original order:

| table | kept when |
|---|---|
| customers | created_at <= until |
| customer_identifiers | observed_at <= until, or observed_at empty |
| orders | ordered_at <= until |
| order_items | their order is kept (the earliest ordered_at of that order_id) |
| refunds | refunded_at <= until |
| live_sessions | started_at <= until |
| live_events | event_at <= until |
| stream_quality | sampled_at <= until |
| fx_rates | rate_date <= until |
| campaigns, memberships | started_at <= until |
| campaign_messages | sent_at <= until |
| products | always (a catalogue, not an event) |
| deletion_requests | always: an erasure applies whatever the date (no cut brings back an erased person) |

A row whose timestamp is empty or does not parse (a bad row the warehouse quarantines) has no day
to belong to and is kept in every cut; so is an order item whose order is not in the file.
Timestamps are read as the warehouse reads them: text trimmed, ISO 8601, an offset or ``Z``
converted to UTC, none taken as UTC.

``raw_cut(source, out, until, append_from=previous)`` is the next day's export of an append-only
shop: each file holds exactly the rows of ``previous`` (a folder this function cut from the same
source at an earlier date), byte for byte in CSV and row for row in Parquet, followed by the rows
of ``source`` dated after that earlier date and on or before ``until``. So the rows a build has
already read keep their positions (row numbers), and the folder holds the same rows as a direct
cut at ``until``, only in another order.

CSV records are copied byte for byte (quoting, spelling and line ends untouched); Parquet files
keep their schema (column types and metadata). Files whose name starts with ``_`` (the
generator's helpers) are not copied; ``_cut.json`` records what was done.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from livewh.errors import LivewhError

CUT_FILE = "_cut.json"
FORMATS = ("csv", "parquet")
KEEP = "keep"  # the whole table, whatever the date
WITH_ORDER = "with_order"  # the rows of orders kept
#: How each raw table is cut: its timestamp column, or KEEP, or WITH_ORDER.
RULES: dict[str, str] = {
    "customers": "created_at",
    "customer_identifiers": "observed_at",
    "products": KEEP,
    "orders": "ordered_at",
    "order_items": WITH_ORDER,
    "refunds": "refunded_at",
    "live_sessions": "started_at",
    "live_events": "event_at",
    "stream_quality": "sampled_at",
    "fx_rates": "rate_date",
    "deletion_requests": KEEP,
    "campaigns": "started_at",
    "campaign_messages": "sent_at",
    "memberships": "started_at",
}
BATCH_ROWS = 1_000_000
EPOCH_DAY_UNITS = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}


@dataclass
class CutResult:
    """What one cut wrote: rows per table, and for an append the rows added after the earlier cut."""

    out: Path
    until: date
    rows: dict[str, int]
    appended_rows: dict[str, int] | None = None


def raw_files(folder: Path) -> dict[str, Path]:
    """The raw table files of a folder (``<table>.csv`` or ``<table>.parquet``), by table."""
    if not folder.is_dir():
        raise LivewhError(f"raw folder '{folder}' does not exist.")
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith("_") or path.suffix.lstrip(".") not in FORMATS or not path.is_file():
            continue
        table = path.stem
        if table not in RULES:
            raise LivewhError(
                f"'{path}': no cut rule for table '{table}' (known: {', '.join(RULES)}); move the file out "
                "of the folder or add a rule to livewh.rawcut.RULES."
            )
        if table in found:
            raise LivewhError(
                f"raw table '{table}': both {found[table].name} and {path.name} exist in '{folder}'."
            )
        found[table] = path
    if not found:
        raise LivewhError(f"raw folder '{folder}' holds no raw table files.")
    return found


# --- reading the value that dates each row ------------------------------------------------------------
def _csv_records(path: Path) -> Iterator[bytes]:
    """The records of a CSV file as their exact bytes (a quoted field may span lines)."""
    with path.open("rb") as handle:
        parts: list[bytes] = []
        quotes = 0
        for line in handle:
            parts.append(line)
            quotes += line.count(b'"')
            if quotes % 2 == 0:
                yield b"".join(parts)
                parts, quotes = [], 0
        if parts:
            yield b"".join(parts)


def _csv_fields(record: bytes) -> list[str]:
    text = record.decode("utf-8", errors="replace")
    return next(csv.reader(io.StringIO(text, newline="")), [])


def _csv_columns(path: Path, names: tuple[str, ...]) -> tuple[list[list[str | None]], int]:
    """Values of the named columns (None when empty or absent) for every data record, and the count."""
    records = _csv_records(path)
    header = [name.strip().lower() for name in _csv_fields(next(records, b""))]
    positions = [header.index(name) if name in header else -1 for name in names]
    columns: list[list[str | None]] = [[] for _ in names]
    count = 0
    for record in records:
        fields = _csv_fields(record)
        count += 1
        for column, position in zip(columns, positions, strict=True):
            value = fields[position] if 0 <= position < len(fields) else ""
            column.append(value if value != "" else None)
    return columns, count


def _parquet_column(path: Path, name: str) -> pa.ChunkedArray | None:
    parquet = pq.ParquetFile(path)
    found = {field.lower(): field for field in parquet.schema_arrow.names}
    if name not in found:
        return None
    return parquet.read(columns=[found[name]]).column(0)


def _connection() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("set timezone = 'UTC'")
    return connection


def _utc_dates(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The UTC date of each value (null when empty or unparseable), as the warehouse parses it."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks else pa.array([], values.type)
    kind = values.type
    if pa.types.is_date32(kind):
        return values
    if pa.types.is_date64(kind):
        return values.cast(pa.date32())
    if pa.types.is_timestamp(kind):
        # the stored value counts units since 1970-01-01 UTC, whatever the column's time zone
        ticks = values.cast(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
        days = np.floor_divide(ticks, EPOCH_DAY_UNITS[kind.unit]).astype(np.int32)
        return pa.array(days, pa.date32(), mask=values.is_null().to_numpy(zero_copy_only=False))
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_binary(kind):
        text = values if not pa.types.is_binary(kind) else values.cast(pa.string())
        table = pa.table({"row_index": pa.array(range(len(text)), pa.int64()), "value": text})
        connection = _connection()
        connection.register("raw_values", table)
        result = connection.sql(
            "select cast(timezone('UTC', try_cast(nullif(trim(value), '') as timestamptz)) as date) as day "
            "from raw_values order by row_index"
        ).to_arrow_table()
        connection.close()
        return result.column("day").combine_chunks().cast(pa.date32())
    return pa.nulls(len(values), pa.date32())


def _order_dates(files: dict[str, Path]) -> pa.Table:
    """order_id (trimmed) -> the earliest ordered_at date of that id, from the orders file."""
    path = files.get("orders")
    empty = pa.table({"order_id": pa.array([], pa.string()), "day": pa.array([], pa.date32())})
    if path is None:
        return empty
    if path.suffix == ".csv":
        (ids, stamps), _ = _csv_columns(path, ("order_id", "ordered_at"))
        order_ids = pa.array(ids, pa.string())
        days = _utc_dates(pa.array(stamps, pa.string()))
    else:
        id_column = _parquet_column(path, "order_id")
        stamp_column = _parquet_column(path, "ordered_at")
        if id_column is None or stamp_column is None:
            return empty
        order_ids = id_column.cast(pa.string()).combine_chunks()
        days = _utc_dates(stamp_column)
    connection = _connection()
    connection.register("orders_dated", pa.table({"order_id": order_ids, "day": days}))
    result = connection.sql(
        "select trim(order_id) as order_id, min(day) as day from orders_dated "
        "where order_id is not null group by 1"
    ).to_arrow_table()
    connection.close()
    return result


def _item_dates(order_ids: pa.Array, orders: pa.Table) -> pa.Array:
    connection = _connection()
    connection.register(
        "items", pa.table({"row_index": pa.array(range(len(order_ids)), pa.int64()), "order_id": order_ids})
    )
    connection.register("orders_dated", orders)
    result = connection.sql(
        "select orders_dated.day from items left join orders_dated "
        "on trim(items.order_id) = orders_dated.order_id order by items.row_index"
    ).to_arrow_table()
    connection.close()
    return result.column("day").combine_chunks().cast(pa.date32())


def row_dates(
    table: str, path: Path, files: dict[str, Path], orders: pa.Table | None
) -> tuple[pa.Array | None, int]:
    """The date of every row of one raw file (None: the table is kept whole), and its row count."""
    rule = RULES[table]
    if path.suffix == ".csv":
        column = "order_id" if rule == WITH_ORDER else rule
        (values,), count = _csv_columns(path, (column,))
        if rule == KEEP:
            return None, count
        text = pa.array(values, pa.string())
        if rule == WITH_ORDER:
            return _item_dates(text, orders if orders is not None else _order_dates(files)), count
        return _utc_dates(text), count
    count = pq.ParquetFile(path).metadata.num_rows
    if rule == KEEP:
        return None, count
    if rule == WITH_ORDER:
        ids = _parquet_column(path, "order_id")
        if ids is None:
            return pa.nulls(count, pa.date32()), count
        return _item_dates(
            ids.cast(pa.string()).combine_chunks(), orders if orders is not None else _order_dates(files)
        ), count
    values = _parquet_column(path, rule)
    return (pa.nulls(count, pa.date32()) if values is None else _utc_dates(values)), count


def _on_or_before(days: pa.Array | None, count: int, until: date) -> pa.Array:
    """True for rows to keep at ``until``: undated rows and rows dated on or before it."""
    if days is None:
        return pa.array(np.ones(count, dtype=bool))
    return pc.fill_null(pc.less_equal(days, pa.scalar(until, pa.date32())), True)


# --- writing ----------------------------------------------------------------------------------------
def _with_newline(record: bytes) -> bytes:
    return record if record.endswith(b"\n") else record + b"\n"


def _write_csv(source: Path, target: Path, keep: pa.Array, prefix: Path | None) -> int:
    """Copy the header (or the whole earlier file) and then the kept records of ``source``, byte for byte."""
    mask = keep.to_numpy(zero_copy_only=False)
    written = 0
    with target.open("wb") as out:
        records = _csv_records(source)
        header = next(records, b"")
        if prefix is None:
            out.write(_with_newline(header) if header else b"")
        else:
            with prefix.open("rb") as earlier:
                shutil.copyfileobj(earlier, out)
                size = earlier.tell()
                if size:
                    earlier.seek(size - 1)
                    if earlier.read(1) != b"\n":
                        out.write(b"\n")
        for record, wanted in zip(records, mask, strict=True):
            if wanted:
                out.write(_with_newline(record))
                written += 1
    return written


def _write_parquet(source: Path, target: Path, keep: pa.Array, prefix: Path | None) -> int:
    """The kept rows of ``source`` (after every row of the earlier file), with the source's schema."""
    parquet = pq.ParquetFile(source)
    schema = parquet.schema_arrow
    written = 0
    with pq.ParquetWriter(target, schema, compression="zstd") as writer:
        if prefix is not None:
            earlier = pq.ParquetFile(prefix)
            if not earlier.schema_arrow.equals(schema):
                raise LivewhError(f"'{prefix}' and '{source}' have different Parquet schemas; cannot append.")
            for batch in earlier.iter_batches(batch_size=BATCH_ROWS):
                writer.write_batch(batch)
        offset = 0
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
            selected = batch.filter(keep.slice(offset, batch.num_rows))
            offset += batch.num_rows
            if selected.num_rows:
                writer.write_batch(selected)
                written += selected.num_rows
        if parquet.metadata.num_rows == 0 and prefix is None:
            writer.write_table(schema.empty_table())
    return written


def _prepare(out: Path, source: Path, append_from: Path | None) -> None:
    resolved = out.resolve()
    if resolved == source.resolve() or (append_from is not None and resolved == append_from.resolve()):
        raise LivewhError(f"--out '{out}' must be a new folder, not the one read from.")
    out.mkdir(parents=True, exist_ok=True)
    for path in out.iterdir():
        if path.is_file() and (path.suffix.lstrip(".") in FORMATS or path.name == CUT_FILE):
            path.unlink()


def _earlier_cut(append_from: Path, source: Path, files: dict[str, Path], until: date) -> date:
    stamp = append_from / CUT_FILE
    if not stamp.is_file():
        raise LivewhError(f"--append-from '{append_from}' was not written by raw-cut (no {CUT_FILE}).")
    earlier = json.loads(stamp.read_text(encoding="utf-8"))
    if Path(earlier["source"]).resolve() != source.resolve():
        raise LivewhError(
            f"--append-from '{append_from}' was cut from '{earlier['source']}', not '{source}'."
        )
    earlier_until = date.fromisoformat(earlier["until"])
    if earlier_until > until:
        raise LivewhError(f"--append-from '{append_from}' is cut at {earlier_until}, after --until {until}.")
    earlier_files = raw_files(append_from)
    if {table: path.name for table, path in earlier_files.items()} != {t: p.name for t, p in files.items()}:
        raise LivewhError(f"--append-from '{append_from}' does not hold the same raw files as '{source}'.")
    return earlier_until


def raw_cut(source: Path, out: Path, until: date, append_from: Path | None = None) -> CutResult:
    """Write ``out``: ``source`` cut at ``until`` (module doc), appended to ``append_from`` when given."""
    source, out = Path(source), Path(out)
    files = raw_files(source)
    earlier_until = _earlier_cut(Path(append_from), source, files, until) if append_from is not None else None
    _prepare(out, source, Path(append_from) if append_from is not None else None)
    orders = _order_dates(files) if "order_items" in files else None
    rows: dict[str, int] = {}
    appended: dict[str, int] = {}
    for table, path in files.items():
        days, count = row_dates(table, path, files, orders)
        keep = _on_or_before(days, count, until)
        prefix = None
        if earlier_until is not None:
            assert append_from is not None
            prefix = Path(append_from) / path.name
            keep = pc.and_(keep, pc.invert(_on_or_before(days, count, earlier_until)))
        write = _write_csv if path.suffix == ".csv" else _write_parquet
        new_rows = write(path, out / path.name, keep, prefix)
        if prefix is None:
            rows[table] = new_rows
        else:
            appended[table] = new_rows
            rows[table] = _count_rows(prefix) + new_rows
    stamp = {
        "source": str(source.resolve()),
        "until": until.isoformat(),
        "appended_to": str(Path(append_from).resolve()) if append_from is not None else None,
        "appended_after": earlier_until.isoformat() if earlier_until is not None else None,
        "rules": {table: RULES[table] for table in files},
        "rows": rows,
        "appended_rows": appended if earlier_until is not None else None,
    }
    (out / CUT_FILE).write_text(json.dumps(stamp, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return CutResult(out, until, rows, appended if earlier_until is not None else None)


def _count_rows(path: Path) -> int:
    if path.suffix == ".parquet":
        return pq.ParquetFile(path).metadata.num_rows
    return sum(1 for _ in _csv_records(path)) - 1


# --- command line ----------------------------------------------------------------------------------
def register(subparsers) -> None:  # type: ignore[no-untyped-def]
    """Add the ``raw-cut`` sub-command."""
    parser = subparsers.add_parser(
        "raw-cut",
        help="copy a raw folder keeping only the rows dated on or before a day (UTC)",
        description="Write a copy of a raw folder as the shop's exports stood at the end of --until (UTC): "
        "each table cut by its own timestamp, order_items with their order, products and deletion_requests "
        "kept whole (an erasure applies whatever the date). With --append-from (a folder raw-cut wrote from "
        "the same source at an earlier date), every file is that folder's file followed by the rows dated "
        "after its date: an append-only export whose earlier rows keep their positions.",
    )
    parser.add_argument("--in", dest="source", required=True, metavar="DIR", help="the raw folder to cut")
    parser.add_argument(
        "--out", required=True, metavar="DIR", help="the folder to write (its raw files are replaced)"
    )
    parser.add_argument("--until", required=True, metavar="YYYY-MM-DD", help="the last day kept (UTC)")
    parser.add_argument("--append-from", metavar="DIR", help="an earlier cut of the same source to append to")
    parser.set_defaults(handler=run)


def run(args) -> int:  # type: ignore[no-untyped-def]
    """``livewh raw-cut``."""
    try:
        until = date.fromisoformat(args.until)
    except ValueError as error:
        raise LivewhError(f"--until must be a date like 2025-06-30, not '{args.until}'.") from error
    result = raw_cut(
        Path(args.source), Path(args.out), until, Path(args.append_from) if args.append_from else None
    )
    total = sum(result.rows.values())
    added = f", {sum(result.appended_rows.values()):,} appended" if result.appended_rows is not None else ""
    print(f"raw-cut: {total:,} rows in {len(result.rows)} tables up to {until} -> {result.out}{added}")
    return 0
