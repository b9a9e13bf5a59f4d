"""Per-buyer summaries the repeat-buying models read, computed inside DuckDB from the orders mart.

Units follow the metric definitions: a *purchase day* is a market-local calendar date with at least
one qualifying order (``fct_orders.order_date_local`` where ``is_qualifying``), and time is counted
in days. For each buyer whose first purchase day is on or before the calibration end:

- ``frequency``: repeat purchase days (purchase days after the first one) up to the calibration end;
- ``recency``: days from the first to the last purchase day up to the calibration end;
- ``T``: days from the first purchase day to the calibration end (its "age");
- ``mean_repeat_net_usd``: mean net USD of the repeat purchase days (a purchase day's net USD is the
  sum over its qualifying orders), the Gamma-Gamma model's input; null without a repeat purchase day.

Nothing after the calibration end enters the summaries. With a holdout end, the same query also
counts what each of those buyers did afterwards, for the backtest:

- ``actual_purchase_days``: purchase days in (calibration end, holdout end];
- ``actual_net_usd``: their net USD;
- ``baseline_purchase_days``: repeat purchase days in the equally long window that ends at the
  calibration end (the naive "the next period repeats the last one" forecast).

The orders relation needs the columns ``customer_key``, ``order_date_local``, ``is_qualifying`` and
``net_usd`` (the shape of ``main.fct_orders``).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

ORDER_COLUMNS = ("customer_key", "order_date_local", "is_qualifying", "net_usd")


def _date_literal(value: date) -> str:
    if not isinstance(value, date):
        raise TypeError(f"expected a date, got {value!r}")
    return f"date '{value.isoformat()}'"


def summary_sql(calibration_end: date, holdout_end: date | None = None) -> str:
    """The summary query over a relation named ``orders`` (see the module docstring)."""
    end = _date_literal(calibration_end)
    last_day = _date_literal(holdout_end) if holdout_end is not None else end
    holdout_columns = ""
    if holdout_end is not None:
        window = (holdout_end - calibration_end).days
        holdout_columns = f""",
            count(*) filter (where purchase_date > {end}) as actual_purchase_days,
            cast(coalesce(sum(net_usd) filter (where purchase_date > {end}), 0) as double) as actual_net_usd,
            count(*) filter (
                where purchase_date > first_purchase_date
                and purchase_date > {end} - {window}
                and purchase_date <= {end}
            ) as baseline_purchase_days"""
    return f"""
        with

        purchase_days as (
            select
                customer_key,
                order_date_local as purchase_date,
                -- kept decimal: sums and means over decimals do not depend on row order, so two
                -- builds of the same data give bit-identical summaries (and fits)
                sum(net_usd) as net_usd
            from orders
            where is_qualifying and order_date_local <= {last_day}
            group by customer_key, order_date_local
        ),

        purchase_days_with_first as (
            select
                *,
                min(purchase_date) over (partition by customer_key) as first_purchase_date
            from purchase_days
        ),

        summaries as (
            select
                customer_key,
                any_value(first_purchase_date) as first_purchase_date,
                cast(date_trunc('month', any_value(first_purchase_date)) as date) as cohort_month,
                max(purchase_date) filter (where purchase_date <= {end}) as last_purchase_date,
                cast(count(*) filter (where purchase_date <= {end}) - 1 as bigint) as frequency,
                cast(max(purchase_date) filter (where purchase_date <= {end})
                    - any_value(first_purchase_date) as bigint) as recency,
                cast({end} - any_value(first_purchase_date) as bigint) as "T",
                cast(avg(net_usd) filter (
                    where purchase_date > first_purchase_date and purchase_date <= {end}
                ) as double) as mean_repeat_net_usd{holdout_columns}
            from purchase_days_with_first
            group by customer_key
            having any_value(first_purchase_date) <= {end}
        )

        select * from summaries
        order by customer_key
    """


def buyer_summaries(
    orders: duckdb.DuckDBPyRelation, calibration_end: date, holdout_end: date | None = None
) -> pd.DataFrame:
    """One row per buyer as of ``calibration_end`` (plus holdout outcomes when ``holdout_end`` is given)."""
    missing = [column for column in ORDER_COLUMNS if column not in orders.columns]
    if missing:
        raise ValueError(f"the orders relation lacks the column(s) {', '.join(missing)}")
    if holdout_end is not None and holdout_end <= calibration_end:
        raise ValueError(f"holdout end {holdout_end} must be after the calibration end {calibration_end}")
    frame = orders.query("orders", summary_sql(calibration_end, holdout_end)).df()
    for column in ("frequency", "recency", "T"):
        frame[column] = frame[column].astype("int64")
    return frame
