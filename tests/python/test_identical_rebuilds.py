"""The same raw files give the same warehouse: every relation of ``main`` compared by content.

Content, not counts: each relation's fingerprint (``livewh.fingerprint``) is its row count and the
sum of DuckDB's ``hash()`` over every whole row and over every column, so a float summed in
another order (a difference in the 15th digit) shows, and the failure names the columns.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from conftest import build_models
from livewh.fingerprint import differences, fingerprints


def _table(path: Path, rows: str) -> Path:
    with duckdb.connect(str(path)) as connection:
        connection.execute(f"create table main.t as select * from (values {rows}) as v(id, amount, label)")
    return path


def test_a_fingerprint_sees_order_free_content_to_the_last_bit(tmp_path: Path) -> None:
    base = _table(
        tmp_path / "a.duckdb", "(1, 0.3::double, 'x'), (2, 0.2::double, 'y'), (2, 0.2::double, 'y')"
    )
    reordered = _table(
        tmp_path / "b.duckdb", "(2, 0.2::double, 'y'), (1, 0.3::double, 'x'), (2, 0.2::double, 'y')"
    )
    assert differences(fingerprints(base), fingerprints(reordered)) == {}

    # 0.1 + 0.2 is 0.30000000000000004 in binary floating point: one bit off, and it shows
    last_bit = _table(
        tmp_path / "c.duckdb",
        "(1, 0.1::double + 0.2::double, 'x'), (2, 0.2::double, 'y'), (2, 0.2::double, 'y')",
    )
    assert differences(fingerprints(base), fingerprints(last_bit)) == {"t": "values differ in amount"}

    # same row count, same distinct rows, another multiplicity
    other_duplicate = _table(
        tmp_path / "d.duckdb", "(1, 0.3::double, 'x'), (2, 0.2::double, 'y'), (1, 0.3::double, 'x')"
    )
    assert differences(fingerprints(base), fingerprints(other_duplicate)) == {
        "t": "values differ in id, amount, label"
    }


def test_two_builds_of_the_same_files_are_identical(
    published_demo: Path, demo_raw: Path, tmp_path: Path
) -> None:
    # the first build is the published demo (`livewh build`), the second a plain dbt build of the
    # same files; only the build stamp (run id, build time) may differ, and it is left out
    rebuilt = build_models(demo_raw, tmp_path / "rebuild")
    first, second = fingerprints(published_demo), fingerprints(rebuilt)
    assert len(first) >= 30 and set(first) == set(second)
    assert differences(first, second) == {}
