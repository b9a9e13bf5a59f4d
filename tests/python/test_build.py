"""Write-audit-publish for real: a build, a rebuild under concurrent readers, a build that must not publish.

These tests share one published warehouse (the session fixture ``built_warehouse``) and run in
file order: first the state of the first build, then a rebuild while readers query the file,
then a build with an injected rule violation.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from conftest import TEST_SELECTION, BuiltWarehouse, CliResult, append_csv_rows, run_livewh, write_csv
from livewh.build import BUILDING_LINK, RUN_ID

#: One query answering from a single snapshot of the file: the build stamp and counts that
#: belong to that build (accepted customers, raw order rows).
VERSION_QUERY = """
select
    info.run_id,
    (select count(*) from intermediate.int_customers_validated where quarantine_reason is null) as customers,
    (select raw_rows from main.rpt_raw_reconciliation where table_name = 'orders') as raw_orders
from main.warehouse_build_info as info
"""

READER = textwrap.dedent(
    """
    import json, os, sys, time
    import duckdb

    path, out, mode, stop = sys.argv[1:5]
    query = sys.stdin.read()
    long_lived = duckdb.connect(path, read_only=True) if mode == "long" else None
    with open(out, "w") as handle:
        while not os.path.exists(stop):
            try:
                if long_lived is not None:
                    row = long_lived.execute(query).fetchone()
                else:
                    connection = duckdb.connect(path, read_only=True)
                    row = connection.execute(query).fetchone()
                    connection.close()
                handle.write(json.dumps({"ok": True, "row": list(row)}) + "\\n")
            except Exception as error:
                handle.write(json.dumps({"ok": False, "error": str(error)}) + "\\n")
            handle.flush()
            time.sleep(0.02)
    """
)


def _version(db_path: Path) -> tuple[str, int, int]:
    with duckdb.connect(str(db_path), read_only=True) as connection:
        run_id, customers, raw_orders = connection.execute(VERSION_QUERY).fetchone()
    return str(run_id), int(customers), int(raw_orders)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _lines(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_first_build_is_published_with_its_stamp(built_warehouse: BuiltWarehouse) -> None:
    published = built_warehouse.published
    run_id, customers, raw_orders = _version(published)
    assert RUN_ID.match(run_id) and run_id == built_warehouse.run_id
    raw_order_rows = len((built_warehouse.raw_dir / "orders.csv").read_text().strip().splitlines()) - 1
    assert raw_orders == raw_order_rows and customers >= 1
    with duckdb.connect(str(published), read_only=True) as connection:
        info = connection.execute(
            "select raw_data_dir, as_of_date, as_of_date_source, dbt_version from main.warehouse_build_info"
        ).fetchone()
    assert info[0] == str(built_warehouse.raw_dir)
    assert info[1] is not None and info[2] and info[3].startswith("1.")
    run_dir = published.parent / "build" / run_id
    assert (run_dir / "quality" / "results.json").is_file()
    assert (run_dir / "target" / "run_results.json").is_file()
    assert not (run_dir / published.name).exists(), "a published build is moved, not copied"
    assert (published.parent / "build" / BUILDING_LINK).is_symlink()


def test_rebuild_while_readers_query_the_published_file(
    built_warehouse: BuiltWarehouse, tmp_path: Path
) -> None:
    published = built_warehouse.published
    old = _version(published)
    raw_v2 = tmp_path / "raw-v2"
    shutil.copytree(built_warehouse.raw_dir, raw_v2)
    append_csv_rows(raw_v2 / "customers.csv", [["c6", "2025-01-05T00:00:00Z", "FR", "fr", "direct", "", ""]])
    append_csv_rows(
        raw_v2 / "orders.csv",
        [["2001", "c6", "2025-02-10T10:00:00Z", "EUR", "12.50", "completed", "web", ""]],
    )

    stop = tmp_path / "stop"
    readers = {}
    for mode in ("fresh", "long"):
        out = tmp_path / f"reader-{mode}.jsonl"
        process = subprocess.Popen(
            [sys.executable, "-c", READER, str(published), str(out), mode, str(stop)],
            stdin=subprocess.PIPE,
            text=True,
        )
        assert process.stdin is not None
        process.stdin.write(VERSION_QUERY)
        process.stdin.close()
        readers[mode] = (process, out)
    try:
        for _mode, (_, out) in readers.items():
            _wait_for(lambda out=out: len(_lines(out)) >= 3, 60, "the readers to start")
        build = run_livewh("build", "--db", published, "--raw-dir", raw_v2, "--select", *TEST_SELECTION)
        assert build.code == 0, build.err[-3000:]
        new = _version(published)
        fresh_out = readers["fresh"][1]
        _wait_for(
            lambda: any(line.get("row", [None])[0] == new[0] for line in _lines(fresh_out)),
            60,
            "a fresh reader to see the new build",
        )
        time.sleep(0.3)
    finally:
        stop.touch()
        for process, _ in readers.values():
            process.wait(timeout=60)

    assert new[0] != old[0] and new[1:] == (old[1] + 1, old[2] + 1)
    expected = {old[0]: list(old[1:]), new[0]: list(new[1:])}
    for mode, (process, out) in readers.items():
        lines = _lines(out)
        assert process.returncode == 0
        errors = [line["error"] for line in lines if not line["ok"]]
        assert not errors, f"{mode} reader failed: {errors[:3]}"
        for line in lines:
            run_id, *counts = line["row"]
            assert expected.get(run_id) == counts, f"{mode} reader saw a mixed or unknown version: {line}"
        seen = {line["row"][0] for line in lines}
        if mode == "fresh":
            assert seen == {old[0], new[0]}, "a new connection per query sees the old, then the new build"
        else:
            assert seen == {old[0]}, "a long-lived connection keeps reading the version it opened"


def test_a_violation_stops_the_publish_and_keeps_the_failed_build(
    built_warehouse: BuiltWarehouse, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    published = built_warehouse.published
    before = _digest(published)
    raw_bad = tmp_path / "raw-bad"
    shutil.copytree(built_warehouse.raw_dir, raw_bad)
    write_csv(
        raw_bad / "products.csv",
        ["product_id", "category", "title", "list_price", "currency"],
        [["p1", "beauty", "Lip tint - questions to care.team@shop-example.com", "9.90", "EUR"]],
    )
    result = run_cli("build", "--db", published, "--raw-dir", raw_bad, "--select", *TEST_SELECTION)
    assert result.code == 1
    assert "Traceback" not in result.output
    assert "build failed at step 'quality checks'; the published warehouse was not changed" in result.err
    assert "staging.stg_shop__products.title: no clear email or phone" in result.err, result.err[-2000:]
    assert "title: 1 value(s) look like a clear email" in result.err and "car***" in result.err
    assert "care.team@shop-example.com" not in result.output
    assert _digest(published) == before
    kept = [line for line in result.err.splitlines() if "the failed build is kept in" in line]
    assert kept, result.err[-2000:]
    run_dir = Path(kept[0].split("kept in", 1)[1].strip().rstrip("/"))
    assert (run_dir / published.name).is_file() and (run_dir / "quality" / "results.json").is_file()

    # Publishing that build by hand re-runs the checks, which fail again: still nothing changes.
    again = run_cli("publish", "--db", published, "--run", run_dir.name)
    assert again.code == 1 and "quality checks" in again.err
    assert _digest(published) == before
