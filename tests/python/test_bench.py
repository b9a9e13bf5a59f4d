"""Tests of the benchmark harness (livewh.bench): the sampler, the floor against the mart, the report.

The speed and memory targets themselves are never asserted here (they live in `livewh bench`);
these tests check that the harness measures what it says and that the floor equals the mart.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest

from livewh.bench import floor
from livewh.bench.measure import folder_bytes, run_measured
from livewh.bench.scenarios import Target, steps_from_run_results
from livewh.errors import LivewhError
from livewh.generate import GenerateConfig, generate

MB = 1_000_000


def python(code: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code)]


def test_peak_memory_sums_the_whole_process_tree(tmp_path: Path) -> None:
    # a parent holding ~150 MB starts a child holding ~250 MB; both live at the same time
    child = "import time; block = b'x' * 250_000_000; time.sleep(2)"
    measured = run_measured(
        "tree",
        python(
            f"""
            import subprocess, sys
            block = b'x' * 150_000_000
            subprocess.run([sys.executable, "-c", {child!r}], check=True)
            """
        ),
        log_path=tmp_path / "tree.log",
        quiet=True,
    )
    assert measured.ok, measured.tail()
    assert measured.peak_rss_bytes > 380 * MB  # neither process alone gets there
    assert measured.peak_rss_bytes < 1_000 * MB
    assert measured.wall_seconds >= 2 and measured.samples > 5
    assert measured.cpu_seconds > 0  # both processes' CPU time is accounted


def test_spill_is_the_peak_size_of_the_temp_directory(tmp_path: Path) -> None:
    temp = tmp_path / "spill"
    measured = run_measured(
        "spill",
        python(
            f"""
            import os, pathlib, time
            folder = pathlib.Path({str(temp)!r}); folder.mkdir()
            (folder / "a.tmp").write_bytes(os.urandom(30_000_000))
            time.sleep(1)
            (folder / "a.tmp").unlink()
            time.sleep(0.5)
            """
        ),
        log_path=tmp_path / "spill.log",
        temp_dir=temp,
        quiet=True,
    )
    assert measured.ok
    assert 30 * MB <= measured.peak_spill_bytes < 40 * MB
    assert folder_bytes(temp) == 0 and folder_bytes(tmp_path / "missing") == 0


def test_a_run_past_its_timeout_is_stopped_and_says_so(tmp_path: Path) -> None:
    measured = run_measured(
        "slow", python("import time; time.sleep(60)"), log_path=tmp_path / "slow.log", timeout=1.0, quiet=True
    )
    assert not measured.ok and measured.stopped and measured.stopped.startswith("timeout")
    assert measured.wall_seconds < 20


def test_targets_pass_or_miss_with_their_figures() -> None:
    ratio = Target("wall / floor", 2.4, 2.0, "ratio", "mart 24 s, floor 10 s")
    assert not ratio.passed and ratio.line().startswith("  MISS  wall / floor: 2.40x <= 2.00x")
    memory = Target("peak", 1.9e9, 1.9e9, "bytes", strict=True)
    assert not memory.passed  # "under 1.9 GB": equal is a miss
    assert Target("peak", 1.2e9, 1.9e9, "bytes", strict=True).passed
    assert not Target("never ran", None, 600, "seconds").passed
    assert Target("spill", 0.0, 10e9, "bytes").as_json()["passed"] is True


def test_steps_come_from_run_results_slowest_first(tmp_path: Path) -> None:
    results = {
        "results": [
            {"unique_id": "model.livewh.a", "execution_time": 1.5, "status": "success"},
            {"unique_id": "model.livewh.b", "execution_time": 7.25, "status": "success"},
            {"unique_id": "seed.livewh.c", "execution_time": 0.1, "status": "error"},
        ]
    }
    (tmp_path / "run_results.json").write_text(json.dumps(results))
    steps = steps_from_run_results(tmp_path)
    assert [step["node"] for step in steps] == ["model.livewh.b", "model.livewh.a", "seed.livewh.c"]
    assert steps[0]["seconds"] == 7.25 and steps[2]["status"] == "error"
    assert steps_from_run_results(tmp_path / "none") == []


def _row(label: str, window: int, **changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "cohort_label": label,
        "cohort_start_date": f"{label}-01",
        "cohort_end_date": f"{label}-31",
        "window_days": window,
        "cohort_size": 10,
        "eligible_customers": 8,
        "censored_customers": 2,
        "repurchasers": 3,
        "repurchase_rate": 3 / 8,
        "repurchasers_observed": 4,
        "naive_repurchase_rate": 0.4,
    }
    row.update(changes)
    return row


def test_compare_finds_every_kind_of_difference() -> None:
    mart = [_row("2025-01", 30), _row("2025-01", 90)]
    assert floor.compare([dict(row) for row in mart], mart) == []
    assert (
        floor.compare([_row("2025-01", 30), _row("2025-01", 90, repurchase_rate=3 / 8 + 1e-13)], mart) == []
    )
    off = floor.compare([_row("2025-01", 30), _row("2025-01", 90, repurchase_rate=3 / 8 + 1e-9)], mart)
    assert len(off) == 1 and "repurchase_rate" in off[0]
    count = floor.compare([_row("2025-01", 30, repurchasers=4), _row("2025-01", 90)], mart)
    assert len(count) == 1 and "repurchasers" in count[0]
    missing = floor.compare([_row("2025-01", 30)], mart)
    assert missing == ["only in the mart: 2025-01 90 days"]
    none_rate = floor.compare([_row("2025-01", 30, repurchase_rate=None), _row("2025-01", 90)], mart)
    assert len(none_rate) == 1


def test_the_floor_refuses_a_shop_it_does_not_model(tmp_path: Path) -> None:
    live = tmp_path / "live"
    generate(GenerateConfig(out=live, customers=200, days=30, hosts=2, products=20, progress=False))
    with pytest.raises(LivewhError):  # no fx_rates file, and live tables present
        floor.raw_format(live)
    (live / "fx_rates.csv").write_text("rate_date,currency,usd_per_unit\n")
    with pytest.raises(LivewhError, match="live_events"):
        floor.raw_format(live)


def test_repurchase_scenario_end_to_end_floor_equals_mart(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """`livewh bench --scenarios repurchase` on a small CSV orders shop: runs, measures, floor == mart."""
    shop = tmp_path / "orders-shop"
    generate(GenerateConfig.for_profile("orders", out=shop, customers=3_000, format="csv", progress=False))
    out = tmp_path / "results.json"
    result = run_cli(
        "bench",
        "--scenarios",
        "repurchase",
        "--orders-dir",
        shop,
        "--repeat",
        "1",
        "--work-dir",
        tmp_path / "work",
        "--out",
        out,
        "--quiet",
    )
    assert result.code == 0, result.output
    assert "PASS  check: floor == mart" in result.out
    assert "repurchase path wall time / floor wall time" in result.out
    scenario = json.loads(out.read_text())["scenarios"]["repurchase"]
    assert scenario["failures"] == [] and all(check["passed"] for check in scenario["checks"])
    mart_run, floor_run = scenario["mart_runs"][0], scenario["floor_runs"][0]
    assert mart_run["returncode"] == 0 and mart_run["nodes"] == {"success": len(mart_run["steps"])}
    assert any(step["node"].endswith("fct_cohort_repurchase") for step in mart_run["steps"])
    assert mart_run["peak_rss_bytes"] > 50 * MB and floor_run["peak_rss_bytes"] > 20 * MB
    assert floor_run["rows"] > 30 and floor_run["assumptions"]["email shared by several accounts"] == 0
    assert {target["target"] for target in scenario["targets"]} == {
        "repurchase path wall time / floor wall time",
        "repurchase path peak memory (process tree)",
    }
    assert scenario["raw_rows"]["orders"] > 10_000


def test_engines_scenario_builds_the_same_selection_on_both_targets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engines scenario's wiring (the Spark build itself is test_spark.py's): one DuckDB and one
    Spark build of spark_ported without tests, the Spark one into the scenario's own warehouse."""
    from livewh.bench import scenarios

    runs: list[tuple[str, list[str], dict[str, str] | None]] = []

    class FakeRun:
        def __init__(self, wall: float) -> None:
            self.ok, self.failures, self.wall = True, [], wall

        def as_json(self) -> dict[str, object]:
            return {"wall_seconds": self.wall}

    class FakeBench:
        def __init__(self, options: object, scenario_dir: Path) -> None:
            self.dir = scenario_dir

        def warm_up(self, db_path: Path, raw_dir: Path) -> dict[str, object]:
            return {"wall_seconds": 0.0, "ok": True}

        def run(self, label: str, args: list[str], **kwargs: object) -> FakeRun:
            runs.append((label, args, kwargs.get("extra_env")))  # type: ignore[arg-type]
            return FakeRun(10.0 if "spark" not in args else 45.0)

    shop = tmp_path / "shop"
    monkeypatch.setattr(scenarios, "DbtBench", FakeBench)
    monkeypatch.setattr(scenarios, "ensure_shop", lambda *args: {"raw_dir": str(shop), "source": "given"})
    monkeypatch.setattr(scenarios, "raw_row_counts", lambda folder: {"orders": 100})
    options = scenarios.BenchOptions(work_dir=tmp_path / "work", orders_dir=shop, large_dir=shop)
    result = scenarios.scenario_engines(options)
    (duck_label, duck_args, duck_env), (spark_label, spark_args, spark_env) = runs
    assert duck_args[:3] == ["build", "--selector", "spark_ported"] and "--target" not in duck_args
    assert spark_args[-2:] == ["--target", "spark"] and spark_args[:-2] == duck_args
    assert duck_args.count("--resource-type") == 2 and "test" not in duck_args and duck_env is None
    assert spark_env == {"LIVEWH_SPARK_WAREHOUSE": str(tmp_path / "work" / "engines" / "spark" / "warehouse")}
    assert result.data["summary"]["spark_over_duckdb"] == 4.5
    assert [ok for _, ok, _ in result.checks] == [True, True]
