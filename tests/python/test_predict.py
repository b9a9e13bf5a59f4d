"""The prediction step (livewh.predict) without dbt: summaries, the published CDNOW benchmark,
predictions, and the too-little-data and failed-fit paths that must never break a build."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from conftest import CliResult, write_csv
from livewh import PROJECT_ROOT
from livewh.predict import compiledir, models, step
from livewh.predict.summaries import buyer_summaries
from livewh.tools.prediction_bench_input import write_bench_input

CDNOW_FILE = PROJECT_ROOT / "tests" / "fixtures" / "cdnow_sample" / "CDNOW_sample.txt"
CDNOW_CALIBRATION_END = date(1997, 9, 30)
#: Fader, Hardie & Lee (2005), BG/NBD on the CDNOW sample, 39-week calibration (alpha in weeks).
PUBLISHED_BG_NBD = {"r": 0.243, "alpha": 4.414 * 7, "a": 0.793, "b": 2.426}
#: Fader & Hardie (2013), Gamma-Gamma on the same calibration data.
PUBLISHED_GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "v": 15.44}
TOLERANCE = 0.02


def orders_relation(connection: duckdb.DuckDBPyConnection, rows: list[tuple]) -> duckdb.DuckDBPyRelation:
    """An fct_orders-shaped relation: (customer_key, order_date_local, is_qualifying, net_usd)."""
    frame = pd.DataFrame(rows, columns=["customer_key", "order_date_local", "is_qualifying", "net_usd"])
    frame["order_date_local"] = pd.to_datetime(frame["order_date_local"])
    connection.register("orders_frame", frame)
    return connection.sql(
        "select customer_key, cast(order_date_local as date) as order_date_local, is_qualifying, "
        "cast(net_usd as decimal(18, 4)) as net_usd from orders_frame"
    )


def cdnow_purchases() -> pd.DataFrame:
    """The CDNOW sample: one row per purchase (customer, date, dollar value)."""
    frame = pd.read_csv(
        CDNOW_FILE,
        sep=r"\s+",
        header=None,
        names=["master_id", "customer_id", "date", "cds", "dollars"],
        dtype={"master_id": str, "customer_id": str, "date": str},
    )
    frame["date"] = pd.to_datetime(frame["date"], format="%Y%m%d")
    return frame


def cdnow_orders(connection: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
    """The CDNOW purchases as qualifying orders (one row per purchase)."""
    connection.register("cdnow_frame", cdnow_purchases())
    return connection.sql(
        "select customer_id as customer_key, cast(date as date) as order_date_local, true as is_qualifying, "
        "cast(dollars as decimal(18, 4)) as net_usd from cdnow_frame"
    )


@pytest.fixture
def connection() -> duckdb.DuckDBPyConnection:
    with duckdb.connect() as connection:
        yield connection


def test_summaries_count_purchase_days_up_to_the_calibration_end(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    orders = orders_relation(
        connection,
        [
            ("a", "2025-01-01", True, 10),
            ("a", "2025-01-01", True, 5),  # same day: one purchase day of 15
            ("a", "2025-01-11", True, 20),
            ("a", "2025-01-21", False, 99),  # not qualifying: no purchase day
            ("a", "2025-01-31", True, 40),
            ("a", "2025-02-15", True, 7),  # after the calibration end
            ("b", "2025-01-20", True, 0),  # zero value still a purchase day
            ("c", "2025-02-05", True, 8),  # first purchase after the calibration end: not a buyer yet
        ],
    )
    summary = buyer_summaries(orders, date(2025, 2, 1)).set_index("customer_key")
    assert list(summary.index) == ["a", "b"]
    assert summary.loc["a", ["frequency", "recency", "T"]].tolist() == [2, 30, 31]
    assert summary.loc["a", "mean_repeat_net_usd"] == pytest.approx(30.0)
    assert summary.loc["b", ["frequency", "recency", "T"]].tolist() == [0, 0, 12]
    assert pd.isna(summary.loc["b", "mean_repeat_net_usd"])
    assert summary.loc["a", "cohort_month"] == pd.Timestamp("2025-01-01")

    # the backtest view: the same calibration summary plus what happened up to the holdout end
    with_holdout = buyer_summaries(orders, date(2025, 2, 1), holdout_end=date(2025, 3, 1)).set_index(
        "customer_key"
    )
    assert with_holdout.loc["a", ["frequency", "recency", "T"]].tolist() == [2, 30, 31]
    assert with_holdout.loc["a", "actual_purchase_days"] == 1
    assert with_holdout.loc["a", "actual_net_usd"] == pytest.approx(7.0)
    # repeat purchase days in the 28 days up to the calibration end: Jan 11 is 21 days before it
    assert with_holdout.loc["a", "baseline_purchase_days"] == 2
    assert with_holdout.loc["b", "actual_purchase_days"] == 0
    assert "c" not in with_holdout.index


def test_cdnow_purchase_days_reproduce_the_papers_calibration_data(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    summary = buyer_summaries(cdnow_orders(connection), CDNOW_CALIBRATION_END)
    assert len(summary) == 2357
    assert int((summary["frequency"] == 0).sum()) == 1411
    assert int(summary["frequency"].sum()) == 2457
    assert int(summary["T"].max()) == 272  # 38.86 weeks: first purchase 1 January 1997


@pytest.fixture(scope="module")
def cdnow_parameters() -> pd.DataFrame:
    """The project's model step (rpt_prediction_parameters) on the CDNOW sample, fitted once."""
    with duckdb.connect() as connection:
        return step.fit_parameters(
            cdnow_orders(connection), CDNOW_CALIBRATION_END, holdout_days=91, min_repeat_buyers=30
        ).to_pandas()


def test_cdnow_recovers_published_parameters(cdnow_parameters: pd.DataFrame) -> None:
    """The project's model step on the CDNOW sample gives the published estimates within 2 %."""
    table = cdnow_parameters
    current = table[table["fit_purpose"] == "current"].set_index("parameter_name")
    assert set(current["fit_status"]) == {"fitted"}
    assert current.loc["alpha", "parameter_unit"] == "days"
    estimates = current["parameter_value"].to_dict()
    print("CDNOW estimates:", {name: round(value, 4) for name, value in estimates.items()})
    for name, published in {**PUBLISHED_BG_NBD, **PUBLISHED_GAMMA_GAMMA}.items():
        assert estimates[name] == pytest.approx(published, rel=TOLERANCE), name
    assert current.loc["r", "buyers"] == 2357
    assert current.loc["r", "repeat_buyers"] == 946
    assert current.loc["p", "fit_sample_size"] == 946


def _cdnow_fit() -> models.ModelFit:
    return models.ModelFit(models.BG_NBD, models.FITTED, 2357, dict(PUBLISHED_BG_NBD))


def test_probability_of_a_purchase_agrees_with_the_library_and_the_closed_form() -> None:
    summary = pd.DataFrame({"frequency": [0, 0, 2, 5], "recency": [0, 0, 100, 150], "T": [50, 200, 200, 180]})
    predictor = models.PurchasePredictor(_cdnow_fit(), summary)
    horizon = 90
    probability = predictor.probability_any_purchase(horizon)
    # buyers with repeat purchases: pymc-marketing's P(no purchase in (T, T + t])
    library_none = predictor.model.expected_probability_no_purchase(t=horizon, data=predictor.data)
    library_none = np.asarray(library_none).reshape(-1)
    np.testing.assert_allclose(probability[2:], 1 - library_none[2:], rtol=1e-9)
    # buyers without one are alive for sure: P(none) = ((alpha + T) / (alpha + T + t))^r
    r, alpha = PUBLISHED_BG_NBD["r"], PUBLISHED_BG_NBD["alpha"]
    ages = np.array([50.0, 200.0])
    np.testing.assert_allclose(
        probability[:2], 1 - ((alpha + ages) / (alpha + ages + horizon)) ** r, rtol=1e-12
    )
    # ... where the library's formula (missing the delta(x > 0) term) would disagree
    assert abs(probability[0] - (1 - library_none[0])) > 0.01


def test_predictions_behave(connection: duckdb.DuckDBPyConnection) -> None:
    summary = buyer_summaries(cdnow_orders(connection), CDNOW_CALIBRATION_END)
    predictor = models.PurchasePredictor(_cdnow_fit(), summary)
    alive = predictor.probability_alive()
    assert ((alive >= 0) & (alive <= 1)).all()
    assert (alive[summary["frequency"].to_numpy() == 0] == 1).all()
    by_horizon = [predictor.expected_purchase_days(days) for days in (30, 90, 180, 365)]
    for shorter, longer in zip(by_horizon, by_horizon[1:], strict=False):
        assert (shorter >= 0).all() and (shorter <= longer + 1e-12).all()
    # a buyer who bought often and recently is expected to buy more than one who stopped long ago
    frame = pd.DataFrame({"frequency": [10, 10], "recency": [260, 30], "T": [272, 272]})
    recent, lapsed = models.PurchasePredictor(_cdnow_fit(), frame).expected_purchase_days(90)
    assert recent > 5 * lapsed


def test_expected_purchases_agree_with_a_simulation_of_the_model() -> None:
    """The conditional expectation against the BG/NBD story itself: given the history, the buyer is
    alive with P(alive); an alive buyer has lambda ~ Gamma(r + x, alpha + T), p ~ Beta(a, b + x),
    buys at rate lambda and drops out with probability p after each purchase."""
    summary = pd.DataFrame(
        {"frequency": [0, 1, 3, 8], "recency": [0, 20, 150, 250], "T": [100, 250, 200, 270]}
    )
    predictor = models.PurchasePredictor(_cdnow_fit(), summary)
    horizon = 180
    expected = predictor.expected_purchase_days(horizon)
    alive = predictor.probability_alive()
    r, alpha, a, b = (PUBLISHED_BG_NBD[name] for name in ("r", "alpha", "a", "b"))
    rng = np.random.default_rng(7)
    draws = 400_000
    for row, (x, age) in enumerate(zip(summary["frequency"], summary["T"], strict=True)):
        living = rng.random(draws) < alive[row]
        rate = rng.gamma(r + x, 1 / (alpha + age), draws)
        dropout = rng.beta(a, b + x, draws)
        clock, purchases = np.zeros(draws), np.zeros(draws)
        while living.any():
            clock = clock + rng.exponential(1 / rate)
            living &= clock <= horizon
            purchases += living
            living &= rng.random(draws) >= dropout
        assert purchases.mean() == pytest.approx(expected[row], rel=0.02), row


def test_spend_is_shrunk_towards_the_population_mean() -> None:
    fit = models.ModelFit(models.GAMMA_GAMMA, models.FITTED, 946, dict(PUBLISHED_GAMMA_GAMMA))
    summary = pd.DataFrame({"frequency": [0, 1, 20], "mean_repeat_net_usd": [np.nan, 100.0, 100.0]})
    spend = models.expected_spend_per_purchase_day(fit, summary)
    p, q, v = (PUBLISHED_GAMMA_GAMMA[name] for name in ("p", "q", "v"))
    population_mean = p * v / (q - 1)
    assert spend[0] == pytest.approx(population_mean)
    assert population_mean < spend[1] < spend[2] < 100.0


def test_one_purchase_each_gives_null_predictions_and_a_warning(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    start = date(2025, 1, 1)
    orders = orders_relation(
        connection, [(f"k{i}", (start + timedelta(days=i)).isoformat(), True, 10 + i) for i in range(60)]
    )
    warnings: list[str] = []
    parameters = step.fit_parameters(
        orders, date(2025, 6, 30), holdout_days=90, min_repeat_buyers=30, warn=warnings.append
    ).to_pandas()
    assert set(parameters["fit_status"]) == {"insufficient_data"}
    assert parameters["parameter_value"].isna().all()
    assert parameters["fit_message"].str.contains("0 repeat buyer").any()
    assert any("bg_nbd not fitted" in message for message in warnings)

    predictions = step.predict_customers(
        orders, date(2025, 6, 30), parameters, warn=warnings.append
    ).to_pandas()
    assert len(predictions) == 60
    assert predictions["p_alive"].isna().all() and predictions["predicted_12m_net_usd"].isna().all()
    assert set(predictions["purchase_model_status"]) == {"insufficient_data"}
    assert any("purchase predictions are null" in message for message in warnings)

    backtest = step.backtest_customers(orders, date(2025, 6, 30), 90, parameters).to_pandas()
    assert len(backtest) == 60  # every first purchase is before the calibration end (2025-04-01)
    assert backtest["predicted_purchase_days"].isna().all()
    assert (backtest["actual_purchase_days"] == 0).all()


def test_a_failed_fit_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    clv = models._import_clv()

    def explode(self: object, *args: object, **kwargs: object) -> None:
        raise RuntimeError("optimiser exploded")

    monkeypatch.setattr(clv.BetaGeoModel, "fit", explode)
    summary = pd.DataFrame({"frequency": [1] * 40 + [0] * 10, "recency": [5] * 50, "T": [30] * 50})
    fit = models.fit_bg_nbd(summary, min_repeat_buyers=30)
    assert fit.status == models.FIT_FAILED and not fit.parameters
    assert "optimiser exploded" in (fit.message or "")


def test_degenerate_parameters_are_a_failed_fit() -> None:
    fit = models._check_parameters(
        models.BG_NBD, {"r": 0.2, "alpha": 30.0, "a": 0.5, "b": float("inf")}, 100, 0.1
    )
    assert fit.status == models.FIT_FAILED and "b=inf" in (fit.message or "")
    spend = models._check_parameters(models.GAMMA_GAMMA, {"p": 2.0, "q": 0.9, "v": 10.0}, 100, 0.1)
    assert spend.status == models.FIT_FAILED and "q = 0.9" in (spend.message or "")


def test_parameters_survive_the_round_trip_through_the_relation(cdnow_parameters: pd.DataFrame) -> None:
    rebuilt = step.fits_from_parameters(cdnow_parameters, step.BACKTEST)
    assert rebuilt.purchases.fitted and rebuilt.spend.fitted
    assert set(rebuilt.purchases.parameters) == {"r", "alpha", "a", "b"}
    backtest = cdnow_parameters[cdnow_parameters["fit_purpose"] == step.BACKTEST]
    assert set(backtest["calibration_end_date"].astype(str)) == {"1997-07-01"}  # 91 days earlier
    assert rebuilt.purchases.parameters["r"] == pytest.approx(
        float(backtest.loc[backtest["parameter_name"] == "r", "parameter_value"].iloc[0])
    )


def test_compile_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PYTENSOR_FLAGS", "floatX=float64")
    monkeypatch.setenv(compiledir.ENV_VAR, str(tmp_path / "cache"))
    assert compiledir.configure_pytensor() == tmp_path / "cache"
    assert (tmp_path / "cache").is_dir()
    import os

    assert os.environ["PYTENSOR_FLAGS"] == f"floatX=float64,base_compiledir={tmp_path / 'cache'}"
    # a compile folder the caller chose is left alone
    monkeypatch.setenv("PYTENSOR_FLAGS", "base_compiledir=/somewhere/else")
    assert compiledir.configure_pytensor() is None
    assert os.environ["PYTENSOR_FLAGS"] == "base_compiledir=/somewhere/else"
    monkeypatch.delenv(compiledir.ENV_VAR)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert compiledir.default_compiledir() == tmp_path / "xdg" / "livewh" / "pytensor"


def test_livewh_predict_times_the_step_on_a_warehouse_file(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    """The benchmark input tool and `livewh predict` on the CDNOW purchases (as raw orders)."""
    purchases = cdnow_purchases()
    orders_csv = write_csv(
        tmp_path / "orders.csv",
        ["order_id", "customer_id", "ordered_at", "currency", "order_total", "status"],
        (
            (f"o{index}", customer, f"{day:%Y-%m-%d}T12:00:00Z", "USD", dollars, "completed")
            for index, (customer, day, dollars) in enumerate(
                zip(purchases["customer_id"], purchases["date"], purchases["dollars"], strict=True)
            )
        ),
    )
    db_path = tmp_path / "bench.duckdb"
    assert write_bench_input(orders_csv, db_path, copies=2) == (2 * len(purchases), 2 * 2357)
    result = run_cli("predict", "--db", db_path, "--as-of", "1997-09-30", "--holdout-days", "91")
    assert result.code == 0, result.err
    assert "4,714 buyers" in result.out
    # two copies of every buyer: the same maximum-likelihood estimates as the sample itself
    assert (
        "current  bg_nbd      fitted            n=4,714 (calibration end 1997-09-30) r=0.2426" in result.out
    )
    assert "alpha=30.9" in result.out
    assert "seconds: fit (current and backtest)" in result.out and "peak memory" in result.out
    missing = run_cli("predict", "--db", tmp_path / "nothing.duckdb")
    assert missing.code == 2 and "no warehouse file" in missing.err
