"""What the dashboard and the review report show, read from the marts of a published warehouse.

Every figure is a mart value: a row of a mart, or a sum over mart rows in SQL where a filter cuts
a mart finer than its rows (viewer-weighted rates then divide the sums, as the marts themselves
do). Nothing is recomputed from raw data in Python. Each read opens the file read-only for the
duration of one query and closes it, so a reader never holds the file between queries: a build
swaps in a new file with ``os.replace`` at any moment, and the next read sees it.

Only ``main`` relations and ``main.warehouse_build_info`` are read. Optional marts (for example
``rpt_prediction_backtest`` from the predictions work) are read only when present.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from livewh.paths import build_root
from livewh.warehouse import BuildInfo, connect_read_only, has_relation, read_build_info

ALL = "all"
#: Optional marts from other work: shown when present (the predictions backtest).
PREDICTION_BACKTEST = "rpt_prediction_backtest"
PREDICTIONS = "fct_customer_predictions"
WINDOWS = (30, 90, 180)
#: Segment types of rpt_segment_summary and how `livewh audience` selects each one.
AUDIENCE_FILTERS = {
    "lifecycle_stage": "--filter lifecycle_stage={segment}",
    "value_tier": "--filter value_tier={segment}",
    "interaction_depth_tier": "--filter interaction_depth_tier={segment}",
    "rfm_segment": "--filter 'rfm_segment={segment}'",
    "signal": "--tag {segment}=true",
}


@dataclass(frozen=True)
class Filters:
    """The filters every page offers: market, channel, and a period range."""

    market: str = ALL
    channel: str = ALL
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Warehouse:
    """A published warehouse file, read through short-lived read-only connections."""

    path: Path

    def version(self) -> tuple[int, int, int]:
        """Identity of the file on disk (inode, modification time, size): changes with every build."""
        stat = os.stat(self.path)
        return (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    def query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Run one query on a fresh read-only connection and close it."""
        with connect_read_only(self.path) as connection:
            return connection.execute(sql, params or []).df()

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        """The first value of the first row (None when no row)."""
        with connect_read_only(self.path) as connection:
            row = connection.execute(sql, params or []).fetchone()
        return row[0] if row else None

    def has(self, name: str) -> bool:
        """True when ``main.<name>`` exists."""
        with connect_read_only(self.path) as connection:
            return has_relation(connection, "main", name)

    def build_info(self) -> BuildInfo | None:
        """The build stamp (``main.warehouse_build_info``)."""
        with connect_read_only(self.path) as connection:
            return read_build_info(connection)


def read_quality_results(warehouse: Warehouse, info: BuildInfo | None) -> tuple[dict[str, Any] | None, Path]:
    """The quality results (results.json) of the build that produced the file, and where they are.

    ``livewh build`` writes them to ``build/<run_id>/quality/`` beside the published file; the
    last few build folders are kept, so a very old published file may have none left.
    """
    folder = build_root(warehouse.path) / (info.run_id if info else "unknown") / "quality"
    results = folder / "results.json"
    if info is None or not results.is_file():
        return None, folder
    try:
        return json.loads(results.read_text(encoding="utf-8")), folder
    except (OSError, ValueError):
        return None, folder


def build_info_dict(warehouse: Warehouse) -> dict[str, Any] | None:
    """The build stamp as a dict (None for a file not built by ``livewh build``)."""
    info = warehouse.build_info()
    return asdict(info) if info else None


def has(warehouse: Warehouse, name: str) -> bool:
    """True when ``main.<name>`` exists."""
    return warehouse.has(name)


def quality_results_for_file(warehouse: Warehouse) -> tuple[dict[str, Any] | None, Path]:
    """The quality results of the build that produced the file (see :func:`read_quality_results`)."""
    return read_quality_results(warehouse, warehouse.build_info())


# --- filters -----------------------------------------------------------------------------------


def markets(warehouse: Warehouse) -> list[str]:
    """Markets with buyers or broadcasts (the cuts of rpt_period_kpis)."""
    frame = warehouse.query(
        "select distinct market_country_code from main.rpt_period_kpis where market_country_code != 'all' "
        "order by 1"
    )
    return [str(value) for value in frame["market_country_code"]]


def channels(warehouse: Warehouse) -> list[str]:
    """Acquisition channels of the buyers (the cuts of rpt_period_kpis)."""
    frame = warehouse.query(
        "select distinct acquisition_channel from main.rpt_period_kpis where acquisition_channel != 'all' "
        "order by 1"
    )
    return [str(value) for value in frame["acquisition_channel"]]


def platforms(warehouse: Warehouse) -> list[str]:
    """Live platforms of the broadcasts."""
    frame = warehouse.query("select distinct platform from main.fct_live_session_performance order by 1")
    return [str(value) for value in frame["platform"]]


def month_range(warehouse: Warehouse) -> list[date]:
    """Every month start of rpt_period_kpis, oldest first."""
    frame = warehouse.query(
        "select distinct period_start_date from main.rpt_period_kpis where period_type = 'month' order by 1"
    )
    return [value.date() if hasattr(value, "date") else value for value in frame["period_start_date"]]


# --- headline numbers (rpt_period_kpis) --------------------------------------------------------


def latest_complete_period(warehouse: Warehouse, period_type: str) -> date | None:
    """Start of the latest week or month that has fully passed by the observation end."""
    value = warehouse.scalar(
        "select max(period_start_date) from main.rpt_period_kpis where period_type = ? and "
        "is_complete_period",
        [period_type],
    )
    return value


def periods(warehouse: Warehouse, period_type: str) -> pd.DataFrame:
    """Every period of a type with its label and completeness, newest first."""
    return warehouse.query(
        """
        select distinct period_start_date, period_end_date, period_label, is_complete_period
        from main.rpt_period_kpis
        where period_type = ?
        order by period_start_date desc
        """,
        [period_type],
    )


def kpi_row(
    warehouse: Warehouse, period_type: str, period_start: date, market: str = ALL, channel: str = ALL
) -> dict[str, Any] | None:
    """One row of rpt_period_kpis as a dict (None when absent)."""
    frame = warehouse.query(
        """
        select * from main.rpt_period_kpis
        where period_type = ? and period_start_date = ?
            and market_country_code = ? and acquisition_channel = ?
        """,
        [period_type, period_start, market, channel],
    )
    if frame.empty:
        return None
    return {key: _plain(value) for key, value in frame.iloc[0].to_dict().items()}


def kpi_trend(warehouse: Warehouse, period_type: str, filters: Filters) -> pd.DataFrame:
    """rpt_period_kpis rows of one cut over the chosen range, oldest first."""
    return warehouse.query(
        """
        select * from main.rpt_period_kpis
        where period_type = ? and market_country_code = ? and acquisition_channel = ?
            and (? is null or period_end_date >= ?) and (? is null or period_start_date <= ?)
        order by period_start_date
        """,
        [
            period_type,
            filters.market,
            filters.channel,
            filters.start,
            filters.start,
            filters.end,
            filters.end,
        ],
    )


# --- repurchase ---------------------------------------------------------------------------------


def retention_matrix(warehouse: Warehouse, filters: Filters) -> pd.DataFrame:
    """fct_cohort_retention cells of the cohorts in range (null share while a month is open)."""
    return warehouse.query(
        """
        select cohort_month, months_since_first_purchase, is_complete, cohort_size, active_buyers,
            retention_rate
        from main.fct_cohort_retention
        where (? is null or cohort_month >= ?) and (? is null or cohort_month <= ?)
        order by cohort_month, months_since_first_purchase
        """,
        [filters.start, filters.start, filters.end, filters.end],
    )


def cohort_repurchase(warehouse: Warehouse, filters: Filters) -> pd.DataFrame:
    """N-day repurchase by monthly cohort: fct_cohort_repurchase, or its sums over buyers when filtered.

    Without a market or channel filter these are the rows of fct_cohort_repurchase. With one,
    the same sums over the buyers of fct_customer_repurchase in the cut (eligible, repurchased,
    censored), the rate being repurchasers / eligible as in the mart.
    """
    if filters.market == ALL and filters.channel == ALL:
        return warehouse.query(
            """
            select cohort_start_date as cohort_month, window_days, cohort_size, eligible_customers,
                censored_customers, repurchasers, repurchase_rate,
                censored_customers / cohort_size as censored_share
            from main.fct_cohort_repurchase
            where cohort_grain = 'month'
                and (? is null or cohort_start_date >= ?) and (? is null or cohort_start_date <= ?)
            order by cohort_start_date, window_days
            """,
            [filters.start, filters.start, filters.end, filters.end],
        )
    unions = " union all ".join(
        f"""
        select cohort_month, {days} as window_days, count(*) as cohort_size,
            count(*) filter (where is_eligible_{days}d) as eligible_customers,
            count(*) filter (where not is_eligible_{days}d) as censored_customers,
            count(*) filter (where is_eligible_{days}d and has_repurchased_{days}d) as repurchasers
        from filtered group by cohort_month
        """
        for days in WINDOWS
    )
    return warehouse.query(
        f"""
        with filtered as (
            select * from main.fct_customer_repurchase
            where (? = 'all' or market_country_code = ?) and (? = 'all' or acquisition_channel = ?)
                and (? is null or cohort_month >= ?) and (? is null or cohort_month <= ?)
        ),
        windows as ({unions})
        select *, repurchasers / nullif(eligible_customers, 0) as repurchase_rate,
            censored_customers / cohort_size as censored_share
        from windows
        order by cohort_month, window_days
        """,
        [
            filters.market,
            filters.market,
            filters.channel,
            filters.channel,
            filters.start,
            filters.start,
            filters.end,
            filters.end,
        ],
    )


def overall_repurchase(warehouse: Warehouse, filters: Filters) -> pd.DataFrame:
    """Per window, every cohort together: the all-cohorts rows of fct_cohort_repurchase, or the cut's sums.

    The period filter does not apply (these are the rates of all buyers so far).
    """
    if filters.market == ALL and filters.channel == ALL:
        return warehouse.query(
            """
            select window_days, cohort_size, eligible_customers, censored_customers, repurchasers,
                repurchase_rate
            from main.fct_cohort_repurchase
            where cohort_grain = 'all'
            order by window_days
            """
        )
    unions = " union all ".join(
        f"""
        select {days} as window_days, count(*) as cohort_size,
            count(*) filter (where is_eligible_{days}d) as eligible_customers,
            count(*) filter (where not is_eligible_{days}d) as censored_customers,
            count(*) filter (where is_eligible_{days}d and has_repurchased_{days}d) as repurchasers
        from filtered
        """
        for days in WINDOWS
    )
    return warehouse.query(
        f"""
        with filtered as (
            select * from main.fct_customer_repurchase
            where (? = 'all' or market_country_code = ?) and (? = 'all' or acquisition_channel = ?)
        ),
        windows as ({unions})
        select *, repurchasers / nullif(eligible_customers, 0) as repurchase_rate
        from windows
        order by window_days
        """,
        [filters.market, filters.market, filters.channel, filters.channel],
    )


def repurchase_dimensions(warehouse: Warehouse) -> list[str]:
    """The dimensions of rpt_repurchase_by_dimension."""
    frame = warehouse.query("select distinct dimension from main.rpt_repurchase_by_dimension order by 1")
    return [str(value) for value in frame["dimension"]]


def repurchase_by_dimension(warehouse: Warehouse, dimension: str, window_days: int) -> pd.DataFrame:
    """Rates of one dimension and window with their 95% Wilson intervals (rpt_repurchase_by_dimension)."""
    return warehouse.query(
        """
        select dimension_value, buyers, eligible_customers, repurchasers, repurchase_rate,
            rate_ci_low, rate_ci_high, lift, overall_repurchase_rate
        from main.rpt_repurchase_by_dimension
        where dimension = ? and window_days = ?
        order by eligible_customers desc
        """,
        [dimension, window_days],
    )


def user_layers(warehouse: Warehouse, filters: Filters) -> pd.DataFrame:
    """rpt_user_layers months in range."""
    return warehouse.query(
        """
        select month_start_date, month_label, is_complete_month, new_accounts, first_time_buyers,
            repeat_buyers, high_frequency_repeat_buyers, repeat_buyers_share, repeat_buyers_mom_change
        from main.rpt_user_layers
        where (? is null or month_start_date >= ?) and (? is null or month_start_date <= ?)
        order by month_start_date
        """,
        [filters.start, filters.start, filters.end, filters.end],
    )


# --- segments -----------------------------------------------------------------------------------


def lifecycle_by_value_tier(warehouse: Warehouse, filters: Filters) -> pd.DataFrame:
    """People per lifecycle stage x value tier as of the observation end (dim_customer_segments)."""
    return warehouse.query(
        """
        select lifecycle_stage, value_tier, count(*) as people
        from main.dim_customer_segments
        where (? = 'all' or market_country_code = ?) and (? = 'all' or acquisition_channel = ?)
        group by lifecycle_stage, value_tier
        order by lifecycle_stage, value_tier
        """,
        [filters.market, filters.market, filters.channel, filters.channel],
    )


def segment_signals(warehouse: Warehouse, filters: Filters) -> dict[str, int]:
    """People flagged churn early warning, warm but not buying, KOC candidate (dim_customer_segments)."""
    frame = warehouse.query(
        """
        select
            count(*) as people,
            count(*) filter (where is_churn_early_warning) as churn_early_warning,
            count(*) filter (where is_warm_not_buying) as warm_not_buying,
            count(*) filter (where is_koc_candidate) as koc_candidate
        from main.dim_customer_segments
        where (? = 'all' or market_country_code = ?) and (? = 'all' or acquisition_channel = ?)
        """,
        [filters.market, filters.market, filters.channel, filters.channel],
    )
    return {key: int(value) for key, value in frame.iloc[0].to_dict().items()}


def migration_months(warehouse: Warehouse) -> list[date]:
    """The later months of rpt_segment_migration, newest first."""
    frame = warehouse.query(
        "select distinct to_month_start_date from main.rpt_segment_migration order by 1 desc"
    )
    return [_plain(value) for value in frame["to_month_start_date"]]


def segment_migration(warehouse: Warehouse, segment_type: str, to_month: date) -> pd.DataFrame:
    """rpt_segment_migration between the end of the month before ``to_month`` and the end of ``to_month``."""
    return warehouse.query(
        """
        select from_segment, to_segment, people, is_move, share_of_from_segment, is_to_month_complete,
            from_month_start_date, to_month_start_date
        from main.rpt_segment_migration
        where segment_type = ? and to_month_start_date = ?
        order by from_segment, to_segment
        """,
        [segment_type, to_month],
    )


def biggest_moves(warehouse: Warehouse, to_month: date, limit: int = 8) -> pd.DataFrame:
    """The largest moves (people changing segment) into ``to_month`` (rpt_segment_migration)."""
    return warehouse.query(
        """
        select segment_type, from_segment, to_segment, people, share_of_from_segment
        from main.rpt_segment_migration
        where to_month_start_date = ? and is_move and from_segment != 'not_yet_seen'
        order by people desc, segment_type, from_segment, to_segment
        limit ?
        """,
        [to_month, limit],
    )


def playbook(warehouse: Warehouse, period_type: str, period_start: date) -> pd.DataFrame:
    """rpt_segment_summary rows of a period with a playbook action, with the previous period's size.

    A segment's action is "due" when the playbook names an action and a channel other than
    'none' and the segment holds people at the period end.
    """
    frame = warehouse.query(
        """
        with summary as (
            select * from main.rpt_segment_summary where period_type = ?
        ),
        current_period as (
            select * from summary where period_start_date = ?
        ),
        previous_period as (
            select * from summary
            where period_start_date = (
                select max(period_start_date) from summary where period_start_date < ?
            )
        )
        select current_period.segment_type, current_period.segment, current_period.people,
            previous_period.people as previous_people,
            current_period.people - previous_period.people as people_change,
            current_period.share_of_people, current_period.buyers, current_period.net_usd,
            current_period.suggested_action, current_period.suggested_channel,
            current_period.period_end_date
        from current_period
        left join previous_period
            on current_period.segment_type = previous_period.segment_type
            and current_period.segment = previous_period.segment
        where current_period.suggested_action is not null
            and coalesce(current_period.suggested_channel, 'none') != 'none'
            and current_period.people > 0
        order by case current_period.segment_type when 'signal' then 0 when 'lifecycle_stage' then 1
            when 'value_tier' then 2 when 'rfm_segment' then 3 else 4 end, current_period.people desc
        """,
        [period_type, period_start, period_start],
    )
    frame["audience_command"] = [
        audience_command(str(segment_type), str(segment))
        for segment_type, segment in zip(frame["segment_type"], frame["segment"], strict=True)
    ]
    return frame


def audience_command(segment_type: str, segment: str) -> str:
    """The `livewh audience` command exporting a segment's people (as of the observation end)."""
    selector = AUDIENCE_FILTERS.get(segment_type, "--filter {type}={segment}").format(
        type=segment_type, segment=segment
    )
    name = "".join(character if character.isalnum() else "_" for character in segment.lower())
    return f"livewh audience --name {name} {selector}"


# --- live ---------------------------------------------------------------------------------------


def broadcasts(warehouse: Warehouse, filters: Filters, platform: str = ALL, limit: int = 500) -> pd.DataFrame:
    """fct_live_session_performance rows in range, market and platform, best net GMV first."""
    return warehouse.query(
        """
        select session_id, host_id, platform, market_country_code, start_date_local, started_at_local,
            duration_minutes, viewers, engaged_viewers, product_clickers, add_to_cart_viewers, buyers,
            orders, gmv_net_usd, conversion_rate, gpm_net_usd, avg_watch_minutes, median_latency_ms,
            p95_latency_ms, freeze_ratio
        from main.fct_live_session_performance
        where (? = 'all' or market_country_code = ?) and (? = 'all' or platform = ?)
            and (? is null or start_date_local >= ?) and (? is null or start_date_local <= ?)
        order by gmv_net_usd desc, session_id
        limit ?
        """,
        [
            filters.market,
            filters.market,
            platform,
            platform,
            filters.start,
            filters.start,
            filters.end,
            filters.end,
            limit,
        ],
    )


def best_and_worst_broadcasts(
    warehouse: Warehouse, start: date, end: date, market: str = ALL, limit: int = 5
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The broadcasts of a period with the highest net GMV, and those with the lowest GPM.

    "Worst" looks only at broadcasts with at least the period's median number of viewers, so a
    show nobody watched is not called the worst one.
    """
    columns = """session_id, host_id, platform, market_country_code, start_date_local, viewers, buyers,
        orders, gmv_net_usd, conversion_rate, gpm_net_usd, median_latency_ms, freeze_ratio"""
    where = """start_date_local between ? and ? and (? = 'all' or market_country_code = ?)"""
    parameters: list[Any] = [start, end, market, market]
    best = warehouse.query(
        f"select {columns} from main.fct_live_session_performance where {where} "
        "order by gmv_net_usd desc, session_id limit ?",
        [*parameters, limit],
    )
    worst = warehouse.query(
        f"""
        select {columns} from main.fct_live_session_performance
        where {where} and viewers > 0 and viewers >= (
            select median(viewers) from main.fct_live_session_performance where {where}
        )
        order by gpm_net_usd asc, session_id limit ?
        """,
        [*parameters, *parameters, limit],
    )
    return best, worst


def quality_alerts(warehouse: Warehouse, start: date, end: date, market: str = ALL) -> pd.DataFrame:
    """Broadcasts of a period whose stream was poor: p95 latency >= 1000 ms or freeze ratio >= 5%."""
    return warehouse.query(
        """
        select session_id, host_id, platform, market_country_code, start_date_local, viewers,
            median_latency_ms, p95_latency_ms, freeze_ratio, gmv_net_usd
        from main.fct_live_session_performance
        where start_date_local between ? and ? and (? = 'all' or market_country_code = ?)
            and (p95_latency_ms >= 1000 or freeze_ratio >= 0.05)
        order by viewers desc, session_id
        """,
        [start, end, market, market],
    )


def timeslot_markets(warehouse: Warehouse) -> list[str]:
    """Markets of rpt_live_timeslots, by number of broadcasts (most first)."""
    frame = warehouse.query(
        "select market_country_code from main.rpt_live_timeslots group by 1 order by sum(broadcasts) desc, 1"
    )
    return [str(value) for value in frame["market_country_code"]]


def timeslots(warehouse: Warehouse, market: str) -> pd.DataFrame:
    """rpt_live_timeslots of one market: local weekday x hour."""
    return warehouse.query(
        """
        select start_weekday_local, start_weekday_name_local, start_hour_local, broadcasts, viewers,
            conversion_rate, gpm_net_usd, gpm_rank_in_market, market_time_zone
        from main.rpt_live_timeslots where market_country_code = ?
        order by start_weekday_local, start_hour_local
        """,
        [market],
    )


def hosts(warehouse: Warehouse, filters: Filters) -> pd.DataFrame:
    """rpt_live_hosts rows of the months in range, best net GMV first."""
    return warehouse.query(
        """
        select host_id, start_month_local, broadcasts, hours_live, viewers, buyers, conversion_rate,
            gmv_net_usd, first_time_buyers_acquired, acquired_buyers_eligible_90d,
            acquired_buyers_censored_90d, acquired_repurchase_rate_90d
        from main.rpt_live_hosts
        where (? is null or start_month_local >= ?) and (? is null or start_month_local <= ?)
        order by start_month_local desc, gmv_net_usd desc
        """,
        [filters.start, filters.start, filters.end, filters.end],
    )


def stream_quality_impact(warehouse: Warehouse, market: str = ALL) -> pd.DataFrame:
    """rpt_stream_quality_impact rows (band x market), for one market or all."""
    return warehouse.query(
        """
        select band_type, band, band_order, market_country_code, viewer_sessions, avg_watch_minutes,
            early_exit_share, conversion_rate, gmv_per_viewer_usd, best_band, is_best_band,
            gmv_at_risk_usd
        from main.rpt_stream_quality_impact
        where (? = 'all' or market_country_code = ?)
        order by band_type, market_country_code, band_order nulls last
        """,
        [market, market],
    )


def gmv_at_risk_total(warehouse: Warehouse, band_type: str = "latency", market: str = ALL) -> float:
    """GMV at risk summed over the markets' bands (rpt_stream_quality_impact: sum over markets)."""
    value = warehouse.scalar(
        """
        select coalesce(sum(gmv_at_risk_usd), 0) from main.rpt_stream_quality_impact
        where band_type = ? and (? = 'all' or market_country_code = ?)
        """,
        [band_type, market, market],
    )
    return float(value or 0)


# --- data quality -------------------------------------------------------------------------------


def raw_reconciliation(warehouse: Warehouse) -> pd.DataFrame:
    """rpt_raw_reconciliation: raw = accepted + quarantined + erased, per raw table."""
    return warehouse.query(
        """
        select table_name, is_required, is_present, file_format, raw_rows, accepted_rows,
            quarantined_rows, erased_rows,
            raw_rows = accepted_rows + quarantined_rows + erased_rows as reconciles
        from main.rpt_raw_reconciliation
        order by table_name
        """
    )


def quarantine_reasons(warehouse: Warehouse) -> pd.DataFrame:
    """fct_quarantined_rows counted by table and reason."""
    return warehouse.query(
        """
        select table_name, quarantine_reason, count(*) as rows
        from main.fct_quarantined_rows
        group by table_name, quarantine_reason
        order by rows desc, table_name, quarantine_reason
        """
    )


# --- optional marts (other branches) ------------------------------------------------------------


def prediction_backtest(warehouse: Warehouse) -> pd.DataFrame | None:
    """``main.rpt_prediction_backtest`` when the predictions mart exists, else None (queried only "
    "when present)."""
    if not warehouse.has(PREDICTION_BACKTEST):
        return None
    return warehouse.query(f"select * from main.{PREDICTION_BACKTEST}")


def _plain(value: Any) -> Any:
    """A pandas/numpy scalar as a plain Python value (NaN/NaT -> None)."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return value
