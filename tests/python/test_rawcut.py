"""Tests of livewh.rawcut: a raw folder as it stood at the end of a day, and the next day appended."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from livewh.errors import LivewhError
from livewh.generate import GenerateConfig, generate
from livewh.rawcut import RULES, raw_cut

SMALL = {"customers": 700, "days": 60, "hosts": 4, "products": 40, "chunk_size": 300, "progress": False}
START = date(2025, 1, 1)
CUT_DAY = date(2025, 2, 10)  # day 41 of 60
NEXT_DAY = date(2025, 2, 11)


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def utc_day(value: str) -> date | None:
    """The UTC day of a raw timestamp as the contract reads it (None: empty or unparseable)."""
    text = value.strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC).date()


@pytest.fixture(scope="module")
def source_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("source-csv")
    generate(GenerateConfig(out=folder, bad_row_rate=0.02, **SMALL))  # type: ignore[arg-type]
    return folder


@pytest.fixture(scope="module")
def source_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("source-parquet")
    generate(GenerateConfig(out=folder, format="parquet", bad_row_rate=0.02, **SMALL))  # type: ignore[arg-type]
    return folder


@pytest.fixture(scope="module")
def cut_csv(source_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cut-csv") / "until"
    raw_cut(source_csv, out, CUT_DAY)
    return out


def test_each_table_keeps_the_rows_of_its_own_date_in_file_order(source_csv: Path, cut_csv: Path) -> None:
    _, orders = read_csv(source_csv / "orders.csv")
    order_day: dict[str, date] = {}
    for row in orders:
        day = utc_day(row["ordered_at"])
        key = row["order_id"].strip()
        if day is not None and (key not in order_day or day < order_day[key]):
            order_day[key] = day
    checked = 0
    for table, rule in RULES.items():
        path = source_csv / f"{table}.csv"
        if not path.exists():
            continue
        header, rows = read_csv(path)
        if rule == "keep":
            expected = rows
        elif rule == "with_order":
            expected = [
                row
                for row in rows
                if row["order_id"].strip() not in order_day or order_day[row["order_id"].strip()] <= CUT_DAY
            ]
        else:
            expected = [row for row in rows if (day := utc_day(row[rule])) is None or day <= CUT_DAY]
        cut_header, cut_rows = read_csv(cut_csv / f"{table}.csv")
        assert cut_header == header, table
        assert cut_rows == expected, table  # the same rows, in the same order
        if rule not in ("keep", "with_order"):
            assert len(expected) < len(rows), table  # the cut removed something
        checked += 1
    assert checked == len(RULES)  # the generator writes every table the cut knows
    stamp = json.loads((cut_csv / "_cut.json").read_text())
    assert stamp["until"] == CUT_DAY.isoformat() and stamp["rules"]["deletion_requests"] == "keep"
    assert not (cut_csv / "_truth_persons.csv").exists()


def test_undated_rows_stay_in_every_cut(source_csv: Path, tmp_path: Path) -> None:
    _, identifiers = read_csv(source_csv / "customer_identifiers.csv")
    undated = [row for row in identifiers if not row["observed_at"].strip()]
    assert undated
    early = tmp_path / "early"
    raw_cut(source_csv, early, START)
    _, kept = read_csv(early / "customer_identifiers.csv")
    assert all(row in kept for row in undated)
    _, requests = read_csv(early / "deletion_requests.csv")
    assert requests == read_csv(source_csv / "deletion_requests.csv")[1]  # erasure whatever the date


def test_a_cut_after_the_last_day_copies_every_file_byte_for_byte(source_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "all"
    result = raw_cut(source_csv, out, date(2100, 1, 1))  # planted future timestamps lie in 2099
    assert sorted(result.rows) == sorted(RULES)
    for table in result.rows:
        assert (out / f"{table}.csv").read_bytes() == (source_csv / f"{table}.csv").read_bytes(), table


def test_append_keeps_the_earlier_rows_in_place_and_equals_a_direct_cut(
    source_csv: Path, cut_csv: Path, tmp_path: Path
) -> None:
    appended = raw_cut(source_csv, tmp_path / "appended", NEXT_DAY, append_from=cut_csv)
    direct = raw_cut(source_csv, tmp_path / "direct", NEXT_DAY)
    assert appended.rows == direct.rows
    assert appended.appended_rows is not None and sum(appended.appended_rows.values()) > 0
    assert appended.appended_rows["deletion_requests"] == 0 and appended.appended_rows["products"] == 0
    for table in appended.rows:
        before = (cut_csv / f"{table}.csv").read_bytes()
        after = (tmp_path / "appended" / f"{table}.csv").read_bytes()
        assert after.startswith(before), table  # an append-only export: earlier rows never move
        _, appended_rows = read_csv(tmp_path / "appended" / f"{table}.csv")
        _, direct_rows = read_csv(tmp_path / "direct" / f"{table}.csv")
        as_text = Counter(json.dumps(row, sort_keys=True) for row in appended_rows)
        assert as_text == Counter(json.dumps(row, sort_keys=True) for row in direct_rows), table
    stamp = json.loads((tmp_path / "appended" / "_cut.json").read_text())
    assert stamp["appended_after"] == CUT_DAY.isoformat() and stamp["until"] == NEXT_DAY.isoformat()


def test_parquet_cut_and_append_keep_schema_and_rows(source_parquet: Path, tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    raw_cut(source_parquet, before, CUT_DAY)
    raw_cut(source_parquet, after, NEXT_DAY, append_from=before)
    direct = raw_cut(source_parquet, tmp_path / "direct", NEXT_DAY)
    for table in direct.rows:
        source_schema = pq.read_schema(source_parquet / f"{table}.parquet")
        for folder in (before, after):
            assert pq.read_schema(folder / f"{table}.parquet").equals(source_schema, check_metadata=True), (
                table
            )
        earlier = pq.read_table(before / f"{table}.parquet").to_pylist()
        later = pq.read_table(after / f"{table}.parquet").to_pylist()
        assert later[: len(earlier)] == earlier, table
        direct_rows = pq.read_table(tmp_path / "direct" / f"{table}.parquet").to_pylist()
        assert Counter(map(repr, later)) == Counter(map(repr, direct_rows)), table
    events = pq.read_table(before / "live_events.parquet").column("event_at").to_pylist()
    assert max(value for value in events if value is not None).date() <= CUT_DAY
    source_events = pq.read_table(source_parquet / "live_events.parquet").column("event_at").to_pylist()
    assert max(value for value in source_events if value is not None).date() > NEXT_DAY


def test_mistakes_get_clear_errors(source_csv: Path, cut_csv: Path, tmp_path: Path) -> None:
    with pytest.raises(LivewhError, match="new folder"):
        raw_cut(source_csv, source_csv, CUT_DAY)
    with pytest.raises(LivewhError, match="not written by raw-cut"):
        raw_cut(source_csv, tmp_path / "x", NEXT_DAY, append_from=source_csv)
    with pytest.raises(LivewhError, match="after --until"):
        raw_cut(source_csv, tmp_path / "y", START, append_from=cut_csv)
    odd = tmp_path / "odd"
    odd.mkdir()
    (odd / "orders.csv").write_text("order_id\n")
    (odd / "campaign_notes.csv").write_text("a\n")
    with pytest.raises(LivewhError, match="no cut rule"):
        raw_cut(odd, tmp_path / "z", CUT_DAY)


def test_quoted_line_breaks_and_odd_bytes_are_copied_as_they_are(tmp_path: Path) -> None:
    source = tmp_path / "raw"
    source.mkdir()
    text = (
        "customer_id,created_at,country_code,language,acquisition_channel,email,phone\n"
        'c1,2025-01-01T10:00:00Z,DE,de,"two\nlines",a@example.com,\n'
        "c2,2025-01-05T01:00:00+02:00,FR,fr, spaced ,b@example.com,\n"  # 2025-01-04 in UTC
        "c3,not a date,US,en,x,c@example.com,\n"
        'c4,2025-01-06T00:00:00,GB,en,"q ""quoted""",\xe9@example.com,\n'
    )
    (source / "customers.csv").write_bytes(text.encode("latin-1"))
    result = raw_cut(source, tmp_path / "out", date(2025, 1, 4))
    assert result.rows == {"customers": 3}
    written = (tmp_path / "out" / "customers.csv").read_bytes()
    lines = text.encode("latin-1").split(b"\n")
    assert written == b"\n".join([*lines[:5], b""])  # header, c1 (two lines), c2, c3; not c4
    rows = list(csv.reader(io.StringIO(written.decode("latin-1"))))
    assert [row[0] for row in rows[1:]] == ["c1", "c2", "c3"]


def test_cli_raw_cut(run_cli, source_csv: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("raw-cut", "--in", source_csv, "--out", tmp_path / "cli", "--until", CUT_DAY.isoformat())
    assert result.code == 0, result.output
    assert f"rows in {len(RULES)} tables up to 2025-02-10" in result.out
    bad = run_cli("raw-cut", "--in", source_csv, "--out", tmp_path / "cli2", "--until", "10/02/2025")
    assert bad.code == 2 and "--until must be a date" in bad.err
