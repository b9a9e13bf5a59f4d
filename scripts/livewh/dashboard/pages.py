"""The pages of ``livewh dashboard``: Overview, Repurchase, Segments, Live, Data quality.

Every page has the same filters in the sidebar (market, channel, period) and opens with one line
on how to read it. Figures come from :mod:`livewh.views` (mart rows, read through short-lived
read-only connections) and are cached per version of the warehouse file, so a new build (a new
file swapped in by ``os.replace``) shows on the next refresh, and nothing holds the file open.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from livewh import charts, views
from livewh.views import ALL, Filters, Warehouse


@dataclass(frozen=True)
class Context:
    """What a page needs: the warehouse and the sidebar's choices."""

    warehouse: Warehouse
    filters: Filters
    #: The live page's channel filter is the broadcast platform.
    platform: str = ALL


@st.cache_data(show_spinner=False, ttl=900, max_entries=512)
def _cached(name: str, path: str, version: tuple[int, int, int], args: tuple[Any, ...]) -> Any:
    return getattr(views, name)(Warehouse(Path(path)), *args)


def load(warehouse: Warehouse, name: str, *args: Any) -> Any:
    """``views.<name>(warehouse, *args)``, cached for this version of the file."""
    return _cached(name, str(warehouse.path), warehouse.version(), args)


def _month_end(month_start: date) -> date:
    return month_start.replace(day=calendar.monthrange(month_start.year, month_start.month)[1])


def _how_to_read(text: str) -> None:
    st.info(text)


def _figure(figure: Any) -> None:
    st.plotly_chart(figure, width="stretch", config={"displaylogo": False})


def _sidebar(warehouse: Warehouse, page_title: str) -> Context:
    info = load(warehouse, "build_info_dict")
    st.sidebar.markdown("### livewh")
    if info:
        st.sidebar.caption(
            f"Build {info['run_id']} · built {info['built_at']:%Y-%m-%d %H:%M} UTC · "
            f"observation end {info['as_of_date']}"
        )
    st.sidebar.caption("Read-only; a new build shows on the next refresh.")
    market = st.sidebar.selectbox("Market", [ALL, *load(warehouse, "markets")], key="market")
    platform = ALL
    channel = ALL
    if page_title == "Live":
        platform = st.sidebar.selectbox(
            "Channel (platform)", [ALL, *load(warehouse, "platforms")], key="platform"
        )
    else:
        channel = st.sidebar.selectbox(
            "Channel (acquisition)", [ALL, *load(warehouse, "channels")], key="channel"
        )
    months = load(warehouse, "month_range")
    start = end = None
    if months:
        default_start = months[max(0, len(months) - 12)]
        first, last = st.sidebar.select_slider(
            "Period (months)",
            options=months,
            value=(default_start, months[-1]),
            format_func=lambda month: f"{month:%Y-%m}",
            key="period",
        )
        start, end = first, _month_end(last)
    return Context(warehouse, Filters(market=market, channel=channel, start=start, end=end), platform)


# --- Overview -----------------------------------------------------------------------------------


def _latest_complete(warehouse: Warehouse, period_type: str, end: date | None) -> dict[str, Any] | None:
    frame = load(warehouse, "periods", period_type)
    done = frame[frame["is_complete_period"]]
    if end is not None:
        done = done[pd.to_datetime(done["period_end_date"]).dt.date <= end]
    if done.empty:
        return None
    return {key: views._plain(value) for key, value in done.iloc[0].to_dict().items()}


def _headline_metrics(row: dict[str, Any], key: str) -> None:
    with st.container(key=key):
        columns = st.columns(5)
        for index, (column, label, fmt, change_column, change_fmt) in enumerate(charts.HEADLINES):
            year_ago = row.get(f"year_ago_{column}")
            previous = row.get(f"previous_{column}")
            help_text = (
                f"previous period: {fmt(previous)}; same period a year earlier: {fmt(year_ago)}"
                if row.get(column) is not None
                else "not split by acquisition channel"
            )
            columns[index % 5].metric(
                label, fmt(row.get(column)), change_fmt(row.get(change_column)), help=help_text, border=True
            )


def overview(context: Context) -> None:
    """Headline numbers of the latest complete week and month, with their change."""
    st.title("Overview")
    _how_to_read(
        "How to read it: the latest complete ISO week and calendar month ending in the chosen period, for "
        "the chosen market and acquisition channel; arrows compare with the previous week or month (rates "
        "in percentage points), hover a number for the previous value and the same period a year earlier. "
        "Source: main.rpt_period_kpis."
    )
    warehouse, filters = context.warehouse, context.filters
    for period_type, noun in (("week", "Week"), ("month", "Month")):
        period = _latest_complete(warehouse, period_type, filters.end)
        if period is None:
            st.warning(f"No complete {period_type} in the chosen period.")
            continue
        row = load(
            warehouse, "kpi_row", period_type, period["period_start_date"], filters.market, filters.channel
        )
        st.subheader(
            f"{noun} {period['period_label']} ({period['period_start_date']:%d %b} – "
            f"{period['period_end_date']:%d %b %Y})"
        )
        if row is None:
            st.warning("No figures for this cut.")
            continue
        _headline_metrics(row, f"kpi-{period_type}")
    trend = load(warehouse, "kpi_trend", "month", filters)
    left, right = st.columns(2)
    with left:
        _figure(charts.kpi_trend(trend, "net_gmv_usd", "Net GMV (USD) per month (pale: month not over)"))
    with right:
        _figure(charts.kpi_trend(trend, "repeat_buyer_rate", "Period repeat-buyer rate per month"))

    # --- predictions backtest (optional mart from the predictions work) ----------------------------
    # Shown only when main.rpt_prediction_backtest exists in the warehouse (it is queried only then).
    backtest = load(warehouse, "prediction_backtest")
    if backtest is not None:
        st.subheader("Predictions: backtest")
        st.caption(
            "How well the predictions matched what happened afterwards (main.rpt_prediction_backtest)."
        )
        st.dataframe(backtest, hide_index=True)


# --- Repurchase ---------------------------------------------------------------------------------


def repurchase(context: Context) -> None:
    """Retention heatmap, N-day rates by cohort with censoring, rates by dimension, user layers."""
    st.title("Repurchase")
    _how_to_read(
        "How to read it: an N-day rate counts only buyers whose N days have passed (eligible); the "
        "others are "
        "censored and shown apart, so a young cohort never looks falsely weak. Retention cells of months not "
        "over yet are empty ('open'), not zero. Bars by dimension carry their 95% interval: overlapping "
        "intervals mean the difference may be noise."
    )
    warehouse, filters = context.warehouse, context.filters
    overall = load(warehouse, "overall_repurchase", filters)
    with st.container(key="repurchase-headline"):
        columns = st.columns(len(overall) or 1)
        for index, row in enumerate(overall.itertuples(index=False)):
            columns[index].metric(
                f"{int(row.window_days)}-day repurchase rate",
                charts.fmt_pct(row.repurchase_rate),
                help=f"{charts.fmt_int(row.repurchasers)} of "
                f"{charts.fmt_int(row.eligible_customers)} eligible "
                f"buyers; {charts.fmt_int(row.censored_customers)} censored (window still open)",
                border=True,
            )
    st.caption(
        "All cohorts together, for the chosen market and channel (the period filter applies to the charts)."
    )
    if filters.market != ALL or filters.channel != ALL:
        st.caption(
            "Retention and rates by dimension are not cut by market or channel: they show every buyer."
        )
    _figure(charts.retention_heatmap(load(warehouse, "retention_matrix", filters)))
    cohorts = load(warehouse, "cohort_repurchase", filters)
    _figure(charts.cohort_rates(cohorts))
    with st.expander("Cohort table"):
        st.dataframe(cohorts, hide_index=True)
    left, right = st.columns([3, 1])
    dimensions = load(warehouse, "repurchase_dimensions")
    with right:
        dimension = st.selectbox(
            "Dimension",
            dimensions,
            index=dimensions.index("acquisition_channel") if "acquisition_channel" in dimensions else 0,
        )
        window = st.radio("Window (days)", list(views.WINDOWS), index=1, horizontal=True)
    by_dimension = load(warehouse, "repurchase_by_dimension", dimension, window)
    with left:
        _figure(charts.dimension_rates(by_dimension, dimension, window))
    _figure(charts.user_layers(load(warehouse, "user_layers", filters)))


# --- Segments -----------------------------------------------------------------------------------


def segments(context: Context) -> None:
    """Lifecycle x value tier, migration between month ends, early warnings, the playbook."""
    st.title("Segments")
    _how_to_read(
        "How to read it: people as of the observation end by lifecycle stage and value tier; the migration "
        "matrix shows where the people of each segment at one month end were at the next (diagonal = "
        "stayed); the playbook lists each segment's suggested action, its size and the command that exports "
        "its audience."
    )
    warehouse, filters = context.warehouse, context.filters
    signals = load(warehouse, "segment_signals", filters)
    with st.container(key="segment-signals"):
        columns = st.columns(4)
        columns[0].metric("People", charts.fmt_int(signals["people"]), border=True)
        columns[1].metric(
            "Churn early warning",
            charts.fmt_int(signals["churn_early_warning"]),
            border=True,
            help="Repeat buyers silent for longer than 1.5 x their usual gap",
        )
        columns[2].metric(
            "Warm but not buying",
            charts.fmt_int(signals["warm_not_buying"]),
            border=True,
            help="Past buyers who still interact in live sessions but stopped buying",
        )
        columns[3].metric("KOC candidates", charts.fmt_int(signals["koc_candidate"]), border=True)
    _figure(
        charts.matrix_heatmap(
            load(warehouse, "lifecycle_by_value_tier", filters),
            "lifecycle_stage",
            "value_tier",
            "people",
            "People by lifecycle stage and value tier (as of the observation end)",
        )
    )
    months = load(warehouse, "migration_months")
    if months:
        left, right = st.columns([3, 1])
        with right:
            segment_type = st.radio("Segment type", ["lifecycle_stage", "value_tier"], horizontal=False)
            in_range = [month for month in months if filters.end is None or month <= filters.end] or months
            complete = _latest_complete(warehouse, "month", filters.end)
            default = complete["period_start_date"] if complete else None
            to_month = st.selectbox(
                "Into month",
                in_range,
                index=in_range.index(default) if default in in_range else 0,
                format_func=lambda month: f"{month:%Y-%m}",
            )
        migration = load(warehouse, "segment_migration", segment_type, to_month)
        with left:
            previous = migration["from_month_start_date"].iloc[0] if not migration.empty else None
            title = (
                f"Migration of {segment_type}: end of {pd.Timestamp(previous):%Y-%m} (rows) to end of "
                f"{to_month:%Y-%m} (columns)"
                if previous is not None
                else "Migration"
            )
            _figure(charts.matrix_heatmap(migration, "from_segment", "to_segment", "people", title))
        if filters.market != ALL or filters.channel != ALL:
            st.caption("The migration matrix and the playbook count every market and channel.")
    period = _latest_complete(warehouse, "month", filters.end)
    if period is not None:
        st.subheader(f"Playbook: actions due at the end of {period['period_label']}")
        st.caption(
            "A segment's action is due when the playbook (seed segment_playbook) names an action "
            "and a channel "
            "and the segment holds people. The audience command exports the people in the segment as of the "
            "observation end (hashed e-mail and phone)."
        )
        play = load(warehouse, "playbook", "month", period["period_start_date"])
        st.dataframe(
            play[
                [
                    "segment_type",
                    "segment",
                    "people",
                    "people_change",
                    "suggested_action",
                    "suggested_channel",
                    "audience_command",
                ]
            ],
            hide_index=True,
        )


# --- Live ---------------------------------------------------------------------------------------


def live(context: Context) -> None:
    """Per-broadcast funnel, weekday x hour per market, hosts, stream quality impact."""
    st.title("Live")
    _how_to_read(
        "How to read it: the figures of the latest complete month for the chosen market; pick a "
        "broadcast to see "
        "its funnel; the heatmap shows GPM (net GMV per 1,000 viewers) by local weekday and start "
        "hour, ★ the "
        "best slot with enough broadcasts; 'GMV at risk' is what worse stream quality cost against the best "
        "comparable quality band of each market (an observational estimate)."
    )
    warehouse, filters = context.warehouse, context.filters
    period = _latest_complete(warehouse, "month", filters.end)
    if period is not None:
        row = load(warehouse, "kpi_row", "month", period["period_start_date"], filters.market, ALL)
        if row is not None:
            st.subheader(f"Month {period['period_label']}")
            with st.container(key="live-headline"):
                columns = st.columns(5)
                columns[0].metric("Broadcasts", charts.fmt_int(row["broadcasts"]), border=True)
                columns[1].metric(
                    "Live viewers",
                    charts.fmt_int(row["live_viewers"]),
                    charts.fmt_change_rate(row["live_viewers_change_rate"]),
                    border=True,
                )
                columns[2].metric(
                    "Live conversion",
                    charts.fmt_pct(row["live_conversion_rate"]),
                    charts.fmt_points(row["live_conversion_rate_change"]),
                    border=True,
                )
                columns[3].metric(
                    "Live GPM (USD)",
                    charts.fmt_usd(row["live_gpm_net_usd"]),
                    charts.fmt_change_rate(row["live_gpm_net_usd_change_rate"]),
                    border=True,
                )
                columns[4].metric(
                    "GMV at risk, latency (USD)",
                    charts.fmt_usd(load(warehouse, "gmv_at_risk_total", "latency", filters.market)),
                    help="All broadcasts of the data (rpt_stream_quality_impact), summed over markets",
                    border=True,
                )
            if context.platform != ALL:
                st.caption("The monthly figures cover every platform; the broadcast list below is filtered.")
    shows = load(warehouse, "broadcasts", filters, context.platform)
    st.subheader("Broadcasts")
    if shows.empty:
        st.warning("No broadcast in the chosen period, market and platform.")
    else:
        labels = {
            str(row.session_id): f"{row.session_id} · {row.start_date_local:%Y-%m-%d} · {row.host_id} · "
            f"{row.platform} · {row.market_country_code} · {charts.fmt_usd(row.gmv_net_usd)}"
            for row in shows.itertuples(index=False)
        }
        chosen = st.selectbox("Broadcast (highest net GMV first)", list(labels), format_func=labels.get)
        record = shows[shows["session_id"] == chosen].iloc[0].to_dict()
        left, right = st.columns(2)
        with left:
            _figure(charts.funnel(record))
        with right:
            st.dataframe(shows.head(50), hide_index=True, height=380)
    markets = load(warehouse, "timeslot_markets")
    if markets:
        default = filters.market if filters.market in markets else markets[0]
        market = st.selectbox("Market for the time-slot heatmap", markets, index=markets.index(default))
        _figure(charts.timeslot_heatmap(load(warehouse, "timeslots", market), market))
    st.subheader("Hosts")
    st.dataframe(load(warehouse, "hosts", filters), hide_index=True)
    st.subheader("Stream quality impact")
    impact = load(warehouse, "stream_quality_impact", filters.market)
    left, right = st.columns(2)
    with left:
        _figure(charts.quality_impact(impact, "latency"))
    with right:
        _figure(charts.quality_impact(impact, "freeze_ratio"))
    with st.expander("Quality bands by market"):
        st.dataframe(impact, hide_index=True)


# --- Data quality -------------------------------------------------------------------------------


def data_quality(context: Context) -> None:
    """Raw reconciliation, quarantine reasons, the last build's quality checks and their failures."""
    st.title("Data quality")
    _how_to_read(
        "How to read it: every raw row is accepted, quarantined with a reason or erased (raw = accepted + "
        "quarantined + erased); the checks are the great-expectations suites the build ran before publishing "
        "(errors block publishing, warnings are reported). Market, channel and period filters do "
        "not apply here."
    )
    warehouse = context.warehouse
    info = load(warehouse, "build_info_dict")
    results, folder = load(warehouse, "quality_results_for_file")
    checks = pd.DataFrame(results["checks"]) if results else pd.DataFrame()
    with st.container(key="quality-headline"):
        columns = st.columns(4)
        if results:
            ran = checks[checks["status"] != "skipped"]
            columns[0].metric("Checks run", charts.fmt_int(len(ran)), border=True)
            columns[1].metric("Passed", charts.fmt_int(int((ran["status"] == "passed").sum())), border=True)
            columns[2].metric("Errors", charts.fmt_int(results["errors"]), border=True)
            columns[3].metric("Warnings", charts.fmt_int(results["warnings"]), border=True)
    if info:
        st.caption(
            f"Build {info['run_id']}, observation end {info['as_of_date']}, raw folder "
            f"{info['raw_data_dir']}."
        )
    if results:
        st.subheader("Checks of the last build")
        only_failed = st.toggle("Only failed checks", value=False)
        shown = checks[checks["status"] == "failed"] if only_failed else checks
        order = {"failed": 0, "passed": 1, "skipped": 2}
        shown = (
            shown.assign(_order=shown["status"].map(order))
            .sort_values(["_order", "suite"])
            .drop(columns="_order")
        )
        st.dataframe(shown, hide_index=True)
        st.caption(
            f"Results: {folder / 'results.json'}. The great-expectations Data Docs "
            f"({folder / 'data_docs' / 'index.html'}) load their styles and scripts from the internet; "
            "this page shows the same results offline."
        )
    else:
        st.warning(
            f"No quality results for this build in {folder} (the build ran with --skip-checks, or "
            "its build folder "
            "was pruned). Run `livewh check` to check the file again."
        )
    st.subheader("Raw reconciliation")
    st.dataframe(load(warehouse, "raw_reconciliation"), hide_index=True)
    reasons = load(warehouse, "quarantine_reasons")
    st.subheader("Quarantined rows by reason")
    if reasons.empty:
        st.success("No raw row was quarantined.")
    else:
        by_reason = reasons.groupby("quarantine_reason", as_index=False)["rows"].sum().sort_values("rows")
        _figure(charts.bar(by_reason, "quarantine_reason", "rows", "Quarantined rows by reason", "#E45756"))
        st.dataframe(reasons, hide_index=True)


def predictions(context: Context) -> None:
    """The predictions backtest (optional mart; the page exists only when it does)."""
    st.title("Predictions")
    _how_to_read(
        "How to read it: how the predictions made at an earlier cut-off compared with what happened after it "
        "(main.rpt_prediction_backtest)."
    )
    backtest = load(context.warehouse, "prediction_backtest")
    if backtest is not None:
        st.dataframe(backtest, hide_index=True)


PAGES = [
    (overview, "Overview", "overview"),
    (repurchase, "Repurchase", "repurchase"),
    (segments, "Segments", "segments"),
    (live, "Live", "live"),
    (data_quality, "Data quality", "data-quality"),
]


def run(db_path: Path) -> None:
    """Draw the app: navigation, sidebar filters, the chosen page."""
    warehouse = Warehouse(db_path)
    if not db_path.is_file():
        st.error(f"No warehouse file at {db_path}. Build one with `livewh build` (or `make demo`).")
        return
    entries = list(PAGES)
    # --- predictions backtest page: only when the optional mart exists (predictions work) ----------
    if load(warehouse, "has", views.PREDICTION_BACKTEST):
        entries.append((predictions, "Predictions", "predictions"))
    holder: dict[str, Context] = {}
    pages = [
        st.Page(_bind(function, holder), title=title, url_path=path, default=index == 0)
        for index, (function, title, path) in enumerate(entries)
    ]
    page = st.navigation(pages)
    holder["context"] = _sidebar(warehouse, page.title)
    page.run()
    # the last element of every run: when it is on the page, the whole page has been drawn
    with st.container(key="page-done"):
        st.caption(f"livewh dashboard over {db_path}")


def _bind(function: Any, holder: dict[str, Context]) -> Any:
    def page() -> None:
        function(holder["context"])

    page.__name__ = function.__name__
    return page
