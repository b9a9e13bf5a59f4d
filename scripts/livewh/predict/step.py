"""The prediction step as the dbt Python models run it: fit, predict per buyer, backtest per buyer.

Three functions, one per dbt model of ``models/marts/predictions/`` (each model is a few lines that
call one of them):

- :func:`fit_parameters` -> ``rpt_prediction_parameters``: BG/NBD and Gamma-Gamma fitted twice,
  at the observation end (``current``) and at the observation end moved back by the holdout
  (``backtest``); one row per fit, model and parameter, with status and sample sizes.
- :func:`predict_customers` -> ``fct_customer_predictions``: every buyer as of the observation end,
  with the current parameters.
- :func:`backtest_customers` -> ``fct_customer_prediction_backtest``: every buyer as of the
  backtest's calibration end, with the backtest parameters, what they predict for the holdout and
  what happened in it.

The predictions read the parameters relation instead of refitting, so each model is fitted once per
build. Every function returns a ``pyarrow.Table`` with a fixed schema (the YAML declares the same
columns and types, and a dbt test compares them, since dbt cannot enforce contracts on Python models).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from livewh.predict import models
from livewh.predict.models import BG_NBD, GAMMA_GAMMA, PARAMETER_UNITS, PARAMETERS, ModelFit
from livewh.predict.summaries import buyer_summaries

CURRENT, BACKTEST = "current", "backtest"
FIT_METHOD = "map, flat (HalfFlat) priors: maximum likelihood"
HORIZONS_DAYS = (30, 90, 180, 365)

_logger = logging.getLogger("livewh.predict")
Log = Callable[[str], None]

PARAMETERS_SCHEMA = pa.schema(
    [
        ("fit_purpose", pa.string()),
        ("model_name", pa.string()),
        ("parameter_name", pa.string()),
        ("parameter_value", pa.float64()),
        ("parameter_unit", pa.string()),
        ("calibration_end_date", pa.date32()),
        ("as_of_date", pa.date32()),
        ("holdout_days", pa.int64()),
        ("buyers", pa.int64()),
        ("repeat_buyers", pa.int64()),
        ("fit_sample_size", pa.int64()),
        ("fit_status", pa.string()),
        ("fit_message", pa.string()),
        ("fit_method", pa.string()),
        ("library", pa.string()),
    ]
)

PREDICTIONS_SCHEMA = pa.schema(
    [
        ("customer_key", pa.string()),
        ("as_of_date", pa.date32()),
        ("first_purchase_date", pa.date32()),
        ("last_purchase_date", pa.date32()),
        ("cohort_month", pa.date32()),
        ("model_frequency", pa.int64()),
        ("model_recency_days", pa.int64()),
        ("model_t_days", pa.int64()),
        ("mean_repeat_net_usd", pa.float64()),
        ("p_alive", pa.float64()),
        ("expected_purchase_days_30d", pa.float64()),
        ("expected_purchase_days_90d", pa.float64()),
        ("expected_purchase_days_180d", pa.float64()),
        ("expected_purchase_days_365d", pa.float64()),
        ("expected_net_usd_per_purchase_day", pa.float64()),
        ("predicted_12m_net_usd", pa.float64()),
        ("purchase_model_status", pa.string()),
        ("spend_model_status", pa.string()),
    ]
)

BACKTEST_SCHEMA = pa.schema(
    [
        ("customer_key", pa.string()),
        ("calibration_end_date", pa.date32()),
        ("holdout_end_date", pa.date32()),
        ("holdout_days", pa.int64()),
        ("first_purchase_date", pa.date32()),
        ("cohort_month", pa.date32()),
        ("model_frequency", pa.int64()),
        ("model_recency_days", pa.int64()),
        ("model_t_days", pa.int64()),
        ("p_alive", pa.float64()),
        ("predicted_purchase_days", pa.float64()),
        ("predicted_purchase_probability", pa.float64()),
        ("predicted_net_usd", pa.float64()),
        ("actual_purchase_days", pa.int64()),
        ("actual_net_usd", pa.float64()),
        ("baseline_purchase_days", pa.int64()),
        ("purchase_model_status", pa.string()),
        ("spend_model_status", pa.string()),
    ]
)


@dataclass(frozen=True)
class Fits:
    """The BG/NBD and Gamma-Gamma fits of one purpose."""

    purchases: ModelFit
    spend: ModelFit


def observation_end(relation: duckdb.DuckDBPyRelation) -> date | None:
    """The as_of_date of ``int_observation_end`` (None when the shop has no data at all)."""
    rows = relation.query("observation_end", "select as_of_date from observation_end").fetchall()
    return rows[0][0] if rows else None


def calibration_end_for_backtest(as_of_date: date, holdout_days: int) -> date:
    """The backtest's calibration end: the observation end moved back by the holdout."""
    if holdout_days < 1:
        raise ValueError(f"the backtest holdout must be at least 1 day, got {holdout_days}")
    return as_of_date - timedelta(days=holdout_days)


def _fit_both(summary: pd.DataFrame, min_repeat_buyers: int, purpose: str, log: Log, warn: Log) -> Fits:
    purchases = models.fit_bg_nbd(summary, min_repeat_buyers)
    spend = models.fit_gamma_gamma(summary, min_repeat_buyers)
    for fit in (purchases, spend):
        if fit.fitted:
            shown = ", ".join(f"{name}={value:.4g}" for name, value in fit.parameters.items())
            log(f"{purpose} {fit.model_name}: {shown} from {fit.sample_size} buyers in {fit.seconds:.1f}s")
        else:
            warn(f"{purpose} fit: {fit.message}")
    return Fits(purchases, spend)


def _parameter_rows(
    purpose: str,
    fits: Fits,
    summary: pd.DataFrame,
    calibration_end: date | None,
    as_of_date: date | None,
    holdout_days: int | None,
    library: str,
) -> list[dict[str, object]]:
    repeat_buyers = int((summary["frequency"] > 0).sum())
    rows = []
    for fit in (fits.purchases, fits.spend):
        for name in PARAMETERS[fit.model_name]:
            rows.append(
                {
                    "fit_purpose": purpose,
                    "model_name": fit.model_name,
                    "parameter_name": name,
                    "parameter_value": fit.parameter(name),
                    "parameter_unit": PARAMETER_UNITS.get(name),
                    "calibration_end_date": calibration_end,
                    "as_of_date": as_of_date,
                    "holdout_days": holdout_days,
                    "buyers": len(summary),
                    "repeat_buyers": repeat_buyers,
                    "fit_sample_size": fit.sample_size,
                    "fit_status": fit.status,
                    "fit_message": fit.message,
                    "fit_method": FIT_METHOD,
                    "library": library,
                }
            )
    return rows


_NO_BUYERS = pd.DataFrame(
    {"frequency": pd.Series([], dtype="int64"), "mean_repeat_net_usd": pd.Series([], dtype="float64")}
)


def fit_parameters(
    orders: duckdb.DuckDBPyRelation,
    as_of_date: date | None,
    holdout_days: int,
    min_repeat_buyers: int,
    log: Log = _logger.info,
    warn: Log = _logger.warning,
) -> pa.Table:
    """Fit both models at the observation end and at the backtest's calibration end."""
    library = models.library_version()
    rows: list[dict[str, object]] = []
    if as_of_date is None:
        fits = Fits(
            models.fit_bg_nbd(_NO_BUYERS, min_repeat_buyers),
            models.fit_gamma_gamma(_NO_BUYERS, min_repeat_buyers),
        )
        warn("no observation end (the shop has no accepted orders or events): nothing to fit.")
        for purpose in (CURRENT, BACKTEST):
            rows += _parameter_rows(purpose, fits, _NO_BUYERS, None, None, holdout_days, library)
        return pa.Table.from_pylist(rows, schema=PARAMETERS_SCHEMA)
    calibration_ends = {
        CURRENT: as_of_date,
        BACKTEST: calibration_end_for_backtest(as_of_date, holdout_days),
    }
    for purpose, calibration_end in calibration_ends.items():
        started = time.monotonic()
        summary = buyer_summaries(orders, calibration_end)
        seconds = time.monotonic() - started
        log(f"{purpose}: {len(summary)} buyers as of {calibration_end} summarised in {seconds:.1f}s")
        fits = _fit_both(summary, min_repeat_buyers, purpose, log, warn)
        rows += _parameter_rows(
            purpose,
            fits,
            summary,
            calibration_end,
            as_of_date,
            holdout_days if purpose == BACKTEST else None,
            library,
        )
    return pa.Table.from_pylist(rows, schema=PARAMETERS_SCHEMA)


def fits_from_parameters(parameters: pd.DataFrame, purpose: str) -> Fits:
    """Rebuild the fits of one purpose from the rows of ``rpt_prediction_parameters``."""
    chosen = parameters[parameters["fit_purpose"] == purpose]
    fits = {}
    for model_name in (BG_NBD, GAMMA_GAMMA):
        rows = chosen[chosen["model_name"] == model_name]
        if rows.empty:
            fits[model_name] = ModelFit(model_name, models.FIT_FAILED, 0, message="no parameter rows")
            continue
        first = rows.iloc[0]
        values = {
            str(row.parameter_name): float(row.parameter_value)
            for row in rows.itertuples()
            if row.parameter_value is not None and not pd.isna(row.parameter_value)
        }
        status = str(first["fit_status"])
        if status == models.FITTED and set(values) != set(PARAMETERS[model_name]):
            status = models.FIT_FAILED
        fits[model_name] = ModelFit(
            model_name,
            status,
            int(first["fit_sample_size"]),
            values if status == models.FITTED else {},
            message=None if pd.isna(first["fit_message"]) else str(first["fit_message"]),
        )
    return Fits(fits[BG_NBD], fits[GAMMA_GAMMA])


def _nulls(size: int) -> np.ndarray:
    return np.full(size, np.nan)


def _warn_if_not_computable(values: np.ndarray, what: str, warn: Log) -> None:
    """A fitted model can still fail to give a finite value for a few extreme buyers: say so."""
    missing = int(np.isnan(values).sum())
    if missing:
        warn(f"{what}: {missing} buyer(s) got no finite value from the fitted model; left null.")


def _column(values: np.ndarray, kind: pa.DataType) -> pa.Array:
    """A float column with NaN as null (a prediction that could not be computed is null, not NaN)."""
    return pa.array(values, type=kind, from_pandas=True)


def predict_customers(
    orders: duckdb.DuckDBPyRelation,
    as_of_date: date | None,
    parameters: pd.DataFrame,
    log: Log = _logger.info,
    warn: Log = _logger.warning,
) -> pa.Table:
    """One row per buyer as of the observation end with the current fit's predictions."""
    if as_of_date is None:
        return PREDICTIONS_SCHEMA.empty_table()
    started = time.monotonic()
    fits = fits_from_parameters(parameters, CURRENT)
    summary = buyer_summaries(orders, as_of_date)
    size = len(summary)
    expected = {horizon: _nulls(size) for horizon in HORIZONS_DAYS}
    alive = _nulls(size)
    if fits.purchases.fitted:
        predictor = models.PurchasePredictor(fits.purchases, summary)
        alive = predictor.probability_alive()
        expected = {horizon: predictor.expected_purchase_days(horizon) for horizon in HORIZONS_DAYS}
        _warn_if_not_computable(expected[365], "expected purchase days", warn)
    else:
        warn(f"purchase predictions are null: {fits.purchases.message}")
    spend = _nulls(size)
    if fits.spend.fitted:
        spend = models.expected_spend_per_purchase_day(fits.spend, summary)
    else:
        warn(f"spend predictions are null: {fits.spend.message}")
    columns = {
        "customer_key": pa.array(summary["customer_key"], type=pa.string()),
        "as_of_date": pa.array([as_of_date] * size, type=pa.date32()),
        "first_purchase_date": pa.array(summary["first_purchase_date"], type=pa.date32()),
        "last_purchase_date": pa.array(summary["last_purchase_date"], type=pa.date32()),
        "cohort_month": pa.array(summary["cohort_month"], type=pa.date32()),
        "model_frequency": pa.array(summary["frequency"], type=pa.int64()),
        "model_recency_days": pa.array(summary["recency"], type=pa.int64()),
        "model_t_days": pa.array(summary["T"], type=pa.int64()),
        "mean_repeat_net_usd": _column(
            summary["mean_repeat_net_usd"].to_numpy(dtype=np.float64), pa.float64()
        ),
        "p_alive": _column(alive, pa.float64()),
        **{f"expected_purchase_days_{h}d": _column(expected[h], pa.float64()) for h in HORIZONS_DAYS},
        "expected_net_usd_per_purchase_day": _column(spend, pa.float64()),
        "predicted_12m_net_usd": _column(expected[365] * spend, pa.float64()),
        "purchase_model_status": pa.array([fits.purchases.status] * size, type=pa.string()),
        "spend_model_status": pa.array([fits.spend.status] * size, type=pa.string()),
    }
    table = pa.Table.from_pydict(columns, schema=PREDICTIONS_SCHEMA)
    log(f"predictions for {size} buyers as of {as_of_date} in {time.monotonic() - started:.1f}s")
    return table


def backtest_customers(
    orders: duckdb.DuckDBPyRelation,
    as_of_date: date | None,
    holdout_days: int,
    parameters: pd.DataFrame,
    log: Log = _logger.info,
    warn: Log = _logger.warning,
) -> pa.Table:
    """One row per buyer as of the backtest's calibration end: predicted and actual holdout figures."""
    if as_of_date is None:
        return BACKTEST_SCHEMA.empty_table()
    started = time.monotonic()
    calibration_end = calibration_end_for_backtest(as_of_date, holdout_days)
    fits = fits_from_parameters(parameters, BACKTEST)
    summary = buyer_summaries(orders, calibration_end, holdout_end=as_of_date)
    size = len(summary)
    alive, purchases, probability = _nulls(size), _nulls(size), _nulls(size)
    if fits.purchases.fitted:
        predictor = models.PurchasePredictor(fits.purchases, summary)
        alive = predictor.probability_alive()
        purchases = predictor.expected_purchase_days(holdout_days)
        probability = predictor.probability_any_purchase(holdout_days)
        _warn_if_not_computable(purchases, "backtest purchase days", warn)
    else:
        warn(f"backtest predictions are null: {fits.purchases.message}")
    spend = _nulls(size)
    if fits.spend.fitted:
        spend = models.expected_spend_per_purchase_day(fits.spend, summary)
    columns = {
        "customer_key": pa.array(summary["customer_key"], type=pa.string()),
        "calibration_end_date": pa.array([calibration_end] * size, type=pa.date32()),
        "holdout_end_date": pa.array([as_of_date] * size, type=pa.date32()),
        "holdout_days": pa.array([holdout_days] * size, type=pa.int64()),
        "first_purchase_date": pa.array(summary["first_purchase_date"], type=pa.date32()),
        "cohort_month": pa.array(summary["cohort_month"], type=pa.date32()),
        "model_frequency": pa.array(summary["frequency"], type=pa.int64()),
        "model_recency_days": pa.array(summary["recency"], type=pa.int64()),
        "model_t_days": pa.array(summary["T"], type=pa.int64()),
        "p_alive": _column(alive, pa.float64()),
        "predicted_purchase_days": _column(purchases, pa.float64()),
        "predicted_purchase_probability": _column(probability, pa.float64()),
        "predicted_net_usd": _column(purchases * spend, pa.float64()),
        "actual_purchase_days": pa.array(summary["actual_purchase_days"], type=pa.int64()),
        "actual_net_usd": pa.array(summary["actual_net_usd"].astype("float64"), type=pa.float64()),
        "baseline_purchase_days": pa.array(summary["baseline_purchase_days"], type=pa.int64()),
        "purchase_model_status": pa.array([fits.purchases.status] * size, type=pa.string()),
        "spend_model_status": pa.array([fits.spend.status] * size, type=pa.string()),
    }
    table = pa.Table.from_pydict(columns, schema=BACKTEST_SCHEMA)
    log(
        f"backtest for {size} buyers as of {calibration_end}, holdout {holdout_days} days, "
        f"in {time.monotonic() - started:.1f}s"
    )
    return table
