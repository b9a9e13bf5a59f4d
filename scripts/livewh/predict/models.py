"""Fit and apply the repeat-buying models with PyMC-Marketing's CLV module.

- **BG/NBD** (Fader, Hardie & Lee 2005, ``pymc_marketing.clv.BetaGeoModel``): purchase days while
  "alive" follow a Poisson process whose rate varies across buyers as Gamma(r, alpha); after each
  repeat purchase day a buyer drops out with a probability that varies as Beta(a, b). Input per
  buyer: frequency, recency and T in days (``livewh.predict.summaries``).
- **Gamma-Gamma** (Fader & Hardie 2013, ``pymc_marketing.clv.GammaGammaModel``): the mean net USD
  of a buyer's repeat purchase days, shrunk towards the population mean (parameters p, q, v). Fitted
  on buyers with at least one repeat purchase day and a positive mean.

Both are fitted by maximum a posteriori (``fit(method="map")``) with flat priors (``HalfFlat``) on
every parameter, so the estimate is the maximum-likelihood estimate the published benchmarks report
(the library's default BG/NBD priors would pull the estimate; with flat priors, fitting the CDNOW
sample in weeks or in days gives the same r, a, b and alpha scaled by 7).

A model is not fitted when the data cannot support it (fewer repeat buyers than the threshold:
status ``insufficient_data``) and a failed or degenerate optimisation never raises (status
``fit_failed``); either way the predictions are null and the message says why.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from livewh.predict.compiledir import configure_pytensor

BG_NBD = "bg_nbd"
GAMMA_GAMMA = "gamma_gamma"
PARAMETERS = {BG_NBD: ("r", "alpha", "a", "b"), GAMMA_GAMMA: ("p", "q", "v")}
#: Units of the parameters that carry one (alpha is a time scale, v a money scale).
PARAMETER_UNITS = {"alpha": "days", "v": "usd"}
FITTED, INSUFFICIENT_DATA, FIT_FAILED = "fitted", "insufficient_data", "fit_failed"
STATUSES = (FITTED, INSUFFICIENT_DATA, FIT_FAILED)
#: Parameter estimates beyond this are a degenerate optimum (a parameter running off to infinity).
MAX_PARAMETER_VALUE = 1e6

Log = Callable[[str], None]


@dataclass(frozen=True)
class ModelFit:
    """The outcome of fitting one model: its status, its parameters (when fitted) and why not."""

    model_name: str
    status: str
    sample_size: int
    parameters: dict[str, float] = field(default_factory=dict)
    message: str | None = None
    seconds: float = 0.0

    @property
    def fitted(self) -> bool:
        """True when the parameters can be used for predictions."""
        return self.status == FITTED

    def parameter(self, name: str) -> float | None:
        """One parameter's value (None when not fitted)."""
        return self.parameters.get(name) if self.fitted else None


def library_version() -> str:
    """``pymc-marketing <version>``, the library that fitted the models."""
    from importlib.metadata import version

    return f"pymc-marketing {version('pymc-marketing')}"


def _import_clv() -> Any:
    configure_pytensor()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # arviz and pymc announce API changes on import
        from pymc_marketing import clv

    return clv


def _flat_priors(model_name: str) -> dict[str, Any]:
    from pymc_extras.prior import Prior

    return {name: Prior("HalfFlat") for name in PARAMETERS[model_name]}


def _point_posterior(parameters: dict[str, float]) -> Any:
    """An InferenceData holding one posterior draw: the point estimate, as a MAP fit leaves it."""
    import arviz as az
    import xarray

    posterior = xarray.Dataset(
        {
            name: (("chain", "draw"), np.array([[value]], dtype=np.float64))
            for name, value in parameters.items()
        },
        coords={"chain": [0], "draw": [0]},
    )
    return az.InferenceData(posterior=posterior)


def _check_parameters(
    model_name: str, values: dict[str, float], sample_size: int, seconds: float
) -> ModelFit:
    bad = [
        name
        for name, value in values.items()
        if not math.isfinite(value) or value <= 0 or value > MAX_PARAMETER_VALUE
    ]
    if bad:
        shown = ", ".join(f"{name}={values[name]:.6g}" for name in bad)
        return ModelFit(
            model_name,
            FIT_FAILED,
            sample_size,
            message=f"{model_name} fit ended at unusable parameters ({shown}); predictions are null.",
            seconds=seconds,
        )
    if model_name == GAMMA_GAMMA and values["q"] <= 1:
        return ModelFit(
            model_name,
            FIT_FAILED,
            sample_size,
            message=f"gamma_gamma fit gave q = {values['q']:.4g} <= 1: the population mean spend is "
            "undefined; spend predictions are null.",
            seconds=seconds,
        )
    return ModelFit(model_name, FITTED, sample_size, values, seconds=seconds)


def _fit(model_name: str, data: pd.DataFrame) -> ModelFit:
    import time

    clv = _import_clv()
    started = time.monotonic()
    model_class = clv.BetaGeoModel if model_name == BG_NBD else clv.GammaGammaModel
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = model_class(model_config=_flat_priors(model_name))
            # one BLAS thread: a multi-threaded reduction sums in an order that varies from run to
            # run, and the fitted parameters then differ in the last digits between two builds
            with threadpool_limits(limits=1):
                model.fit(data=data, method="map", progressbar=False)
        values = {
            name: float(model.fit_result[name].values.reshape(-1)[0]) for name in PARAMETERS[model_name]
        }
    except Exception as error:  # a fit must never fail the build
        return ModelFit(
            model_name,
            FIT_FAILED,
            len(data),
            message=f"{model_name} fit failed ({type(error).__name__}: {error}); predictions are null.",
            seconds=time.monotonic() - started,
        )
    return _check_parameters(model_name, values, len(data), time.monotonic() - started)


def fit_bg_nbd(summary: pd.DataFrame, min_repeat_buyers: int) -> ModelFit:
    """Fit BG/NBD on every buyer of the summary (frequency, recency, T in days)."""
    repeat_buyers = int((summary["frequency"] > 0).sum())
    if repeat_buyers < min_repeat_buyers:
        return ModelFit(
            BG_NBD,
            INSUFFICIENT_DATA,
            len(summary),
            message=f"bg_nbd not fitted: {repeat_buyers} repeat buyer(s) among {len(summary)} buyer(s), "
            f"fewer than the {min_repeat_buyers} needed (var prediction_min_repeat_buyers); "
            "purchase predictions are null.",
        )
    data = pd.DataFrame(
        {
            "customer_id": np.arange(len(summary)),
            "frequency": summary["frequency"].to_numpy(dtype=np.float64),
            "recency": summary["recency"].to_numpy(dtype=np.float64),
            "T": summary["T"].to_numpy(dtype=np.float64),
        }
    )
    return _fit(BG_NBD, data)


def spend_sample(summary: pd.DataFrame) -> pd.DataFrame:
    """The Gamma-Gamma fitting sample: buyers with a repeat purchase day and a positive mean spend."""
    chosen = (summary["frequency"] > 0) & (summary["mean_repeat_net_usd"].fillna(0) > 0)
    return summary.loc[chosen]


def fit_gamma_gamma(summary: pd.DataFrame, min_repeat_buyers: int) -> ModelFit:
    """Fit Gamma-Gamma on the repeat buyers with a positive mean repeat net USD."""
    sample = spend_sample(summary)
    if len(sample) < min_repeat_buyers:
        return ModelFit(
            GAMMA_GAMMA,
            INSUFFICIENT_DATA,
            len(sample),
            message=f"gamma_gamma not fitted: {len(sample)} repeat buyer(s) with a positive repeat spend, "
            f"fewer than the {min_repeat_buyers} needed (var prediction_min_repeat_buyers); "
            "spend predictions are null.",
        )
    data = pd.DataFrame(
        {
            "customer_id": np.arange(len(sample)),
            "frequency": sample["frequency"].to_numpy(dtype=np.float64),
            "monetary_value": sample["mean_repeat_net_usd"].to_numpy(dtype=np.float64),
        }
    )
    return _fit(GAMMA_GAMMA, data)


# --- predictions -----------------------------------------------------------------------------------


def _customer_frame(summary: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": np.arange(len(summary)),
            "frequency": summary["frequency"].to_numpy(dtype=np.float64),
            "recency": summary["recency"].to_numpy(dtype=np.float64),
            "T": summary["T"].to_numpy(dtype=np.float64),
        }
    )


def _flatten(values: Any, size: int) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64).reshape(-1)
    if array.shape != (size,):
        raise ValueError(f"expected {size} predictions, got shape {array.shape}")
    return array


def _finite_or_nan(values: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(values), values, np.nan)


class PurchasePredictor:
    """BG/NBD predictions for the buyers of a summary, from fitted parameters (no refit)."""

    def __init__(self, fit: ModelFit, summary: pd.DataFrame) -> None:
        if not fit.fitted:
            raise ValueError(f"{fit.model_name} is not fitted ({fit.status})")
        clv = _import_clv()
        self.size = len(summary)
        self.data = _customer_frame(summary)
        self.parameters = dict(fit.parameters)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.model = clv.BetaGeoModel(model_config=_flat_priors(BG_NBD))
            # the predictive methods read the model's coordinates and its posterior only: one
            # placeholder buyer builds the model, the fitted point estimate is the posterior
            self.model.build_model(self.data.head(1) if self.size else _customer_frame(_EMPTY_BUYER))
            self.model.idata = _point_posterior(self.parameters)

    def expected_purchase_days(self, horizon_days: float) -> np.ndarray:
        """Expected purchase days in the next ``horizon_days`` days (FHL 2005, eq. 10)."""
        if self.size == 0:
            return np.zeros(0)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            values = self.model.expected_purchases(data=self.data, future_t=float(horizon_days))
        return _finite_or_nan(_flatten(values, self.size))

    def probability_alive(self) -> np.ndarray:
        """P(alive) at the end of the summary's period (1 for buyers without a repeat purchase day)."""
        if self.size == 0:
            return np.zeros(0)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            values = self.model.expected_probability_alive(data=self.data)
        return _finite_or_nan(_flatten(values, self.size))

    def probability_any_purchase(self, horizon_days: float) -> np.ndarray:
        """P(at least one purchase day in the next ``horizon_days`` days).

        Under BG/NBD a buyer drops out only right after a purchase, so a buyer alive at T makes no
        purchase in (T, T + t] with probability E[exp(-lambda t)] = ((alpha + T) / (alpha + T + t))^(r + x),
        and a buyer no longer alive makes none for sure:
        P(none) = 1 - P(alive) + P(alive) ((alpha + T) / (alpha + T + t))^(r + x).
        This equals ``BetaGeoModel.expected_probability_no_purchase`` for buyers with repeat purchases
        (tested); for buyers without one that method of pymc-marketing 0.19.2 omits the
        delta(x > 0) term of Fader & Hardie's (2019) eq. 34 and overstates P(none), so it is not used.
        """
        if self.size == 0:
            return np.zeros(0)
        alive = self.probability_alive()
        r, alpha = self.parameters["r"], self.parameters["alpha"]
        x = self.data["frequency"].to_numpy()
        age = self.data["T"].to_numpy()
        none_if_alive = ((alpha + age) / (alpha + age + float(horizon_days))) ** (r + x)
        return _finite_or_nan(1.0 - ((1.0 - alive) + alive * none_if_alive))


_EMPTY_BUYER = pd.DataFrame({"frequency": [0], "recency": [0], "T": [1]})


def expected_spend_per_purchase_day(fit: ModelFit, summary: pd.DataFrame) -> np.ndarray:
    """Gamma-Gamma expected net USD of a future purchase day, per buyer (the population mean for
    buyers without a repeat purchase day)."""
    if not fit.fitted:
        raise ValueError(f"{fit.model_name} is not fitted ({fit.status})")
    size = len(summary)
    if size == 0:
        return np.zeros(0)
    clv = _import_clv()
    data = pd.DataFrame(
        {
            "customer_id": np.arange(size),
            "frequency": summary["frequency"].to_numpy(dtype=np.float64),
            "monetary_value": summary["mean_repeat_net_usd"].fillna(0).to_numpy(dtype=np.float64),
        }
    )
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        model = clv.GammaGammaModel(model_config=_flat_priors(GAMMA_GAMMA))
        model.idata = _point_posterior(fit.parameters)
        values = model.expected_customer_spend(data=data)
    return _finite_or_nan(_flatten(values, size))
