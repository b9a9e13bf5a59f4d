"""The repurchase marts against figures computed by hand (tests/fixtures/repurchase_handmade/README.md).

`make test` builds the demo, where the expected-figures test has nothing to compare; this builds
the hand-made shop so the comparison really runs, and checks the headline rates directly too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from livewh import PROJECT_ROOT

DBT = str(Path(sys.executable).parent / "dbt")
FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "repurchase_handmade"


def test_hand_computed_repurchase_figures(tmp_path: Path) -> None:
    db_path = tmp_path / "warehouse.duckdb"
    env = {
        **os.environ,
        "LIVEWH_RAW_DIR": str(FIXTURE),
        "LIVEWH_DB_PATH": str(db_path),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        DBT,
        "build",
        "--profiles-dir",
        str(PROJECT_ROOT),
        "--project-dir",
        str(PROJECT_ROOT),
        "--target-path",
        str(tmp_path / "target"),
        "--log-path",
        str(tmp_path / "logs"),
        "--exclude",
        "test_type:unit",
        "--indirect-selection",
        "cautious",
        "--select",
        "+assert_repurchase_marts_match_expected_figures",
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=PROJECT_ROOT, check=False)
    assert result.returncode == 0, result.stdout[-4000:]
    assert "assert_repurchase_marts_match_expected_figures" in result.stdout
    with duckdb.connect(str(db_path), read_only=True) as connection:
        rates = dict(
            connection.execute(
                "select window_days, repurchase_rate from main.fct_cohort_repurchase "
                "where cohort_grain = 'all'"
            ).fetchall()
        )
    assert rates == {30: 0.25, 90: 0.75, 180: 0.80}
