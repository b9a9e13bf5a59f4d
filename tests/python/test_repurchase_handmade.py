"""The repurchase marts against figures computed by hand (tests/fixtures/repurchase_handmade/README.md).

`make test` builds the demo, where the expected-figures test has nothing to compare; this builds
the hand-made shop so the comparison really runs, and checks the headline rates directly too.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from conftest import dbt_build
from livewh import PROJECT_ROOT

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "repurchase_handmade"


def test_hand_computed_repurchase_figures(tmp_path: Path) -> None:
    db_path = tmp_path / "warehouse.duckdb"
    result = dbt_build(FIXTURE, db_path, tmp_path, select=["+assert_repurchase_marts_match_expected_figures"])
    assert "assert_repurchase_marts_match_expected_figures" in result.stdout
    with duckdb.connect(str(db_path), read_only=True) as connection:
        rates = dict(
            connection.execute(
                "select window_days, repurchase_rate from main.fct_cohort_repurchase "
                "where cohort_grain = 'all'"
            ).fetchall()
        )
    assert rates == {30: 0.25, 90: 0.75, 180: 0.80}
