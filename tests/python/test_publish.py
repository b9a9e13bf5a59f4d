"""Publishing: the atomic swap and the refusals that protect readers and the published file."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from livewh.build import RUN_ID, carry_over_snapshots, new_run_id, prune_builds
from livewh.errors import LivewhError
from livewh.publish import publish, wal_of
from livewh.warehouse import write_build_info


def _make_build(path: Path, run_id: str, marker: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as connection:
        connection.execute(f"create table main.marker as select {marker} as version")
    write_build_info(path, run_id, datetime(2025, 1, 1, 12, 0), path.parent)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _version(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as connection:
        return int(connection.execute("select version from main.marker").fetchone()[0])


def test_publish_replaces_the_file_and_moves_the_candidate(tmp_path: Path) -> None:
    published = _make_build(tmp_path / "warehouse.duckdb", "20250101T000000Z-aaaa", 1)
    candidate = _make_build(tmp_path / "build" / "20250102T000000Z-bbbb" / "warehouse.duckdb", "r2", 2)
    info = publish(candidate, published)
    assert info.run_id == "r2"
    assert _version(published) == 2
    assert not candidate.exists()
    assert not wal_of(published).exists()


def test_a_reader_holding_the_old_file_keeps_its_version(tmp_path: Path) -> None:
    published = _make_build(tmp_path / "warehouse.duckdb", "r1", 1)
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time, duckdb
                connection = duckdb.connect({str(published)!r}, read_only=True)
                print(connection.execute("select version from main.marker").fetchone()[0], flush=True)
                sys.stdin.readline()
                print(connection.execute("select version from main.marker").fetchone()[0], flush=True)
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout is not None and reader.stdin is not None
    assert reader.stdout.readline().strip() == "1"
    publish(_make_build(tmp_path / "b" / "warehouse.duckdb", "r2", 2), published)
    assert _version(published) == 2  # a new connection sees the new version
    reader.stdin.write("\n")
    reader.stdin.flush()
    assert reader.stdout.readline().strip() == "1"  # the open connection still reads its old file
    assert reader.wait(timeout=30) == 0


def test_publish_refuses_a_file_held_open_read_write(tmp_path: Path) -> None:
    published = _make_build(tmp_path / "warehouse.duckdb", "r1", 1)
    before = _digest(published)
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, sys; c = duckdb.connect({str(published)!r}); "
            "print('open', flush=True); sys.stdin.readline()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None and writer.stdin is not None
    assert writer.stdout.readline().strip() == "open"
    candidate = _make_build(tmp_path / "b" / "warehouse.duckdb", "r2", 2)
    try:
        with pytest.raises(LivewhError, match="read-write"):
            publish(candidate, published)
    finally:
        writer.stdin.write("\n")
        writer.stdin.flush()
        writer.wait(timeout=30)
    assert _digest(published) == before and candidate.exists()


def test_publish_refuses_a_file_that_is_not_a_livewh_build(tmp_path: Path) -> None:
    candidate = tmp_path / "b" / "warehouse.duckdb"
    candidate.parent.mkdir()
    with duckdb.connect(str(candidate)) as connection:
        connection.execute("create table t as select 1 as x")
    with pytest.raises(LivewhError, match="warehouse_build_info"):
        publish(candidate, tmp_path / "warehouse.duckdb")
    assert not (tmp_path / "warehouse.duckdb").exists()


def test_publish_refuses_a_different_file_name(tmp_path: Path) -> None:
    candidate = _make_build(tmp_path / "b" / "other.duckdb", "r2", 2)
    with pytest.raises(LivewhError, match="catalog"):
        publish(candidate, tmp_path / "warehouse.duckdb")


def test_publish_refuses_a_stale_wal_beside_the_published_file(tmp_path: Path) -> None:
    published = _make_build(tmp_path / "warehouse.duckdb", "r1", 1)
    wal_of(published).write_bytes(b"")
    with pytest.raises(LivewhError, match="write-ahead|wal"):
        publish(_make_build(tmp_path / "b" / "warehouse.duckdb", "r2", 2), published)
    assert _version(published) == 1


def test_snapshots_are_carried_over(tmp_path: Path) -> None:
    published = _make_build(tmp_path / "warehouse.duckdb", "r1", 1)
    with duckdb.connect(str(published)) as connection:
        connection.execute("create schema snapshots")
        connection.execute(
            "create table snapshots.customer_history as select 'c1' as customer_id, 1 as dbt_scd_id"
        )
        connection.execute("create view snapshots.not_a_table as select 1 as x")
    candidate = tmp_path / "b" / "warehouse.duckdb"
    candidate.parent.mkdir()
    assert carry_over_snapshots(published, candidate) == 1
    with duckdb.connect(str(candidate), read_only=True) as connection:
        assert connection.execute("select * from snapshots.customer_history").fetchall() == [("c1", 1)]
    assert carry_over_snapshots(tmp_path / "missing.duckdb", tmp_path / "c" / "w.duckdb") == 0


def test_only_the_newest_build_folders_are_kept(tmp_path: Path) -> None:
    names = [new_run_id(datetime(2025, 1, day, 12, 0)) for day in range(1, 8)]
    assert all(RUN_ID.match(name) for name in names)
    for name in names:
        (tmp_path / name).mkdir()
    (tmp_path / "test").mkdir()  # not a run folder: never touched
    removed = prune_builds(tmp_path, keep=3, current=names[-1])
    assert sorted(path.name for path in removed) == sorted(names[:4])
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([*names[4:], "test"])


def test_run_ids_sort_by_time() -> None:
    first = new_run_id(datetime(2025, 1, 1, 9, 0, 0))
    second = new_run_id(datetime(2025, 1, 1, 9, 0, 1))
    assert first < second
