"""``livewh predict``: run and time the prediction step on a warehouse file, read-only.

It runs exactly what the three dbt Python models of ``models/marts/predictions/`` run
(:mod:`livewh.predict.step`: both fits, the per-buyer predictions, the per-buyer backtest) on
``main.fct_orders`` and ``intermediate.int_observation_end`` of the file, writes nothing, and prints
the parameters, the backtest's overall figures, the seconds of each part and the process's peak
memory (max RSS, which includes DuckDB's memory: it runs in the same process). Use it to measure
the step at a scale a full build cannot reach yet, or to try settings without rebuilding.
"""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from livewh.errors import LivewhError
from livewh.predict import step
from livewh.progress import say, warn
from livewh.warehouse import connect_read_only, has_relation


@dataclass
class BenchResult:
    """What one run measured."""

    as_of_date: date
    buyers: int
    orders: int
    parameters: pd.DataFrame
    backtest: dict[str, float]
    seconds: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: float = 0.0
    rss_before_mb: float = 0.0


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _backtest_figures(frame: pd.DataFrame) -> dict[str, float]:
    predicted = frame["predicted_purchase_days"]
    actual = frame["actual_purchase_days"]
    baseline = frame["baseline_purchase_days"]
    figures = {
        "buyers": float(len(frame)),
        "predicted_purchase_days": float(predicted.sum()),
        "actual_purchase_days": float(actual.sum()),
        "baseline_purchase_days": float(baseline.sum()),
        "predicted_buyers": float(frame["predicted_purchase_probability"].sum()),
        "actual_buyers": float((actual > 0).sum()),
        "root_mean_squared_error": float((((predicted - actual) ** 2).mean()) ** 0.5),
        "baseline_root_mean_squared_error": float((((baseline - actual) ** 2).mean()) ** 0.5),
    }
    if figures["actual_purchase_days"]:
        figures["purchase_days_relative_error"] = (
            figures["predicted_purchase_days"] / figures["actual_purchase_days"] - 1
        )
    return figures


def run(
    db_path: Path, holdout_days: int = 90, min_repeat_buyers: int = 30, as_of: date | None = None
) -> BenchResult:
    """Run the whole prediction step on a warehouse file and measure it."""
    from livewh.predict import models

    models._import_clv()  # imports (and PyTensor's cache lookup) are not part of the step's time
    rss_before = _peak_rss_mb()
    with connect_read_only(db_path) as connection:
        for schema, name in (("main", "fct_orders"), ("intermediate", "int_observation_end")):
            if not has_relation(connection, schema, name):
                raise LivewhError(f"'{db_path}' has no {schema}.{name}: build the warehouse first.")
        orders = connection.sql("select * from main.fct_orders")
        if as_of is None:
            as_of = step.observation_end(connection.sql("select * from intermediate.int_observation_end"))
        if as_of is None:
            raise LivewhError(f"'{db_path}' has no observation end (no accepted orders or events).")
        ((order_count,),) = connection.execute("select count(*) from main.fct_orders").fetchall()
        seconds: dict[str, float] = {}
        started = time.monotonic()
        parameters = step.fit_parameters(orders, as_of, holdout_days, min_repeat_buyers, log=say, warn=warn)
        seconds["fit (current and backtest)"] = time.monotonic() - started
        frame = parameters.to_pandas()
        started = time.monotonic()
        predictions = step.predict_customers(orders, as_of, frame, log=say, warn=warn)
        seconds["predictions per buyer"] = time.monotonic() - started
        started = time.monotonic()
        backtest = step.backtest_customers(orders, as_of, holdout_days, frame, log=say, warn=warn)
        seconds["backtest per buyer"] = time.monotonic() - started
    seconds["total"] = sum(seconds.values())
    return BenchResult(
        as_of_date=as_of,
        buyers=predictions.num_rows,
        orders=int(order_count),
        parameters=frame,
        backtest=_backtest_figures(backtest.to_pandas()),
        seconds=seconds,
        peak_rss_mb=_peak_rss_mb(),
        rss_before_mb=rss_before,
    )


def report_lines(result: BenchResult) -> list[str]:
    """The printed report."""
    lines = [
        f"observation end {result.as_of_date}: {result.orders:,} orders, {result.buyers:,} buyers",
        "parameters:",
    ]
    for (purpose, model_name), rows in result.parameters.groupby(["fit_purpose", "model_name"], sort=False):
        first = rows.iloc[0]
        values = ", ".join(
            f"{row.parameter_name}={row.parameter_value:.4g}"
            for row in rows.itertuples()
            if not pd.isna(row.parameter_value)
        )
        lines.append(
            f"  {purpose:8} {model_name:11} {first['fit_status']:17} n={first['fit_sample_size']:,} "
            f"(calibration end {first['calibration_end_date']}) {values}"
        )
    figures = result.backtest
    if "purchase_days_relative_error" in figures:
        lines.append(
            f"backtest: {figures['buyers']:,.0f} buyers, predicted "
            f"{figures['predicted_purchase_days']:,.1f} vs actual {figures['actual_purchase_days']:,.0f} "
            f"purchase days ({figures['purchase_days_relative_error']:+.1%}); buyers "
            f"{figures['predicted_buyers']:,.1f} vs {figures['actual_buyers']:,.0f}; "
            f"RMSE {figures['root_mean_squared_error']:.3f} "
            f"vs naive {figures['baseline_root_mean_squared_error']:.3f}"
        )
    lines.append("seconds: " + ", ".join(f"{name} {value:.1f}" for name, value in result.seconds.items()))
    lines.append(
        f"peak memory (max RSS of this process, DuckDB included): {result.peak_rss_mb:,.0f} MB "
        f"({result.rss_before_mb:,.0f} MB before the step, after imports)"
    )
    return lines
