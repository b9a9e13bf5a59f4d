"""A new day appended to a built warehouse gives the warehouse a full build gives.

The demo shop is cut at the day before its last (``livewh raw-cut``), built, then its last day is
appended to the end of every raw file (an append-only export) together with a deletion request
for an account that bought and watched live sessions earlier; the same database is built again,
incrementally. A second database is built from scratch on the appended files. Every relation of
``main`` must be identical by content (``livewh.fingerprint``: rows, and a hash of every value).
The incremental build must really have been incremental: the live events it validated again are
the appended ones and the erased account's, not the whole file.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from conftest import build_models
from livewh.fingerprint import differences, fingerprints
from livewh.rawcut import raw_cut

LAST_DAY = date(2026, 6, 24)  # the demo's observation end (540 days from 2025-01-01)


def _most_active_buyer(raw_dir: Path) -> str:
    """The account with the most logged-in live events among accounts with orders."""
    with (raw_dir / "orders.csv").open(encoding="utf-8") as handle:
        buyers = {row["customer_id"] for row in csv.DictReader(handle)}
    with (raw_dir / "live_events.csv").open(encoding="utf-8") as handle:
        watched = Counter(
            row["customer_id"] for row in csv.DictReader(handle) if row["customer_id"] in buyers
        )
    return watched.most_common(1)[0][0]


@dataclass(frozen=True)
class Builds:
    incremental: Path  # built on the cut files, then again on the appended ones
    full: Path  # built once, on the appended files
    events_before: int  # rows int_live_events_validated held after the first build


@pytest.fixture(scope="module")
def builds(demo_raw: Path, tmp_path_factory: pytest.TempPathFactory) -> Builds:
    work = tmp_path_factory.mktemp("incremental")
    before = work / "raw-before"
    after = work / "raw-after"
    raw_cut(demo_raw, before, date.fromordinal(LAST_DAY.toordinal() - 1))
    raw_cut(demo_raw, after, LAST_DAY, append_from=before)
    erased = _most_active_buyer(before)
    with (after / "deletion_requests.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"{erased},{LAST_DAY.isoformat()}T09:00:00Z\n")

    incremental = build_models(before, work / "incremental")
    with duckdb.connect(str(incremental), read_only=True) as connection:
        (events_before,) = connection.execute(
            "select count(*) from intermediate.int_live_events_validated"
        ).fetchone() or (0,)
    build_models(after, work / "incremental")
    full = build_models(after, work / "full")
    return Builds(incremental, full, int(events_before))


def test_every_mart_equals_a_full_build(builds: Builds) -> None:
    assert differences(fingerprints(builds.full), fingerprints(builds.incremental)) == {}


def test_the_second_build_processed_only_the_changes(builds: Builds) -> None:
    stored_before = builds.events_before
    with duckdb.connect(str(builds.incremental), read_only=True) as connection:
        rewritten, total = connection.execute(
            """
            select
                count(*) filter (
                    where _changed_at = (select max(_changed_at) from intermediate.int_live_events_validated)
                ),
                count(*)
            from intermediate.int_live_events_validated
            """
        ).fetchone() or (0, 0)
        erased = connection.execute(
            "select count(*) from intermediate.int_live_events_validated where quarantine_reason = 'erased'"
        ).fetchone()
    appended = total - stored_before
    assert appended > 0
    # the appended rows, and the stored rows re-checked (the erased account's events), only
    assert appended <= rewritten < stored_before / 10
    assert erased is not None and erased[0] > 0
