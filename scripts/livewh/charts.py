"""Plotly figures and number formats shared by the dashboard and the review report.

Figures take the frames of :mod:`livewh.views` (mart rows) and only arrange them; a rate shown
is a mart's rate. Number formats are the same everywhere, so a figure on the page can be
compared with the mart it came from.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
WINDOW_COLOURS = {30: "#4C78A8", 90: "#F58518", 180: "#54A24B"}
LAYOUT: dict[str, Any] = {
    "template": "plotly_white",
    "margin": {"l": 50, "r": 20, "t": 50, "b": 40},
    "font": {"family": "Helvetica, Arial, sans-serif", "size": 12},
    "height": 380,
}


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def fmt_usd(value: Any) -> str:
    """$54.42 below a thousand, $21,551 from a thousand on (whole dollars), or '–' when missing."""
    if _missing(value):
        return "–"
    amount = float(value)
    return f"${amount:,.2f}" if abs(amount) < 1000 else f"${amount:,.0f}"


def fmt_int(value: Any) -> str:
    """12,345, or '–' when missing."""
    return "–" if _missing(value) else f"{int(value):,}"


def fmt_pct(value: Any, digits: int = 1) -> str:
    """12.3%, or '–' when missing."""
    return "–" if _missing(value) else f"{float(value) * 100:.{digits}f}%"


def fmt_change_rate(value: Any) -> str | None:
    """A relative change as '+12.3%' (None when missing, so no delta is drawn)."""
    return None if _missing(value) else f"{float(value) * 100:+.1f}%"


def fmt_points(value: Any) -> str | None:
    """A change of a rate in percentage points, '+1.2 pp' (None when missing)."""
    return None if _missing(value) else f"{float(value) * 100:+.1f} pp"


def fmt_number(value: Any, digits: int = 1) -> str:
    """1,234.5, or '–' when missing."""
    return "–" if _missing(value) else f"{float(value):,.{digits}f}"


#: The headline measures of rpt_period_kpis: (column, label, format, change column, change format).
HEADLINES: list[tuple[str, str, Any, str, Any]] = [
    ("net_gmv_usd", "Net GMV (USD)", fmt_usd, "net_gmv_usd_change_rate", fmt_change_rate),
    ("qualifying_orders", "Orders", fmt_int, "qualifying_orders_change_rate", fmt_change_rate),
    ("buyers", "Buyers", fmt_int, "buyers_change_rate", fmt_change_rate),
    ("aov_net_usd", "AOV (net USD)", fmt_usd, "aov_net_usd_change_rate", fmt_change_rate),
    ("repeat_buyer_rate", "Repeat-buyer rate", fmt_pct, "repeat_buyer_rate_change", fmt_points),
    ("first_time_buyers", "First-time buyers", fmt_int, "first_time_buyers_change_rate", fmt_change_rate),
    ("live_viewers", "Live viewers", fmt_int, "live_viewers_change_rate", fmt_change_rate),
    ("live_conversion_rate", "Live conversion", fmt_pct, "live_conversion_rate_change", fmt_points),
    ("live_gpm_net_usd", "Live GPM (USD)", fmt_usd, "live_gpm_net_usd_change_rate", fmt_change_rate),
]


def _figure(figure: go.Figure, title: str, **layout: Any) -> go.Figure:
    figure.update_layout(**{**LAYOUT, "title": {"text": title, "x": 0.01}, **layout})
    return figure


def kpi_trend(
    frame: pd.DataFrame, column: str, title: str, complete_column: str = "is_complete_period"
) -> go.Figure:
    """Bars of one rpt_period_kpis column over periods; an incomplete period is drawn pale."""
    colours = ["#4C78A8" if bool(done) else "#BFD3E6" for done in frame[complete_column]]
    figure = go.Figure(go.Bar(x=frame["period_label"], y=frame[column], marker_color=colours, name=column))
    return _figure(figure, title, xaxis={"type": "category"})


def retention_heatmap(matrix: pd.DataFrame) -> go.Figure:
    """The retention matrix: cohort rows x month offset; open cells are empty and say 'open'."""
    if matrix.empty:
        return _figure(go.Figure(), "Retention: no cohorts in range")
    cohorts = sorted(matrix["cohort_month"].unique())
    offsets = sorted(int(value) for value in matrix["months_since_first_purchase"].unique())
    values = [[math.nan] * len(offsets) for _ in cohorts]
    texts = [[""] * len(offsets) for _ in cohorts]
    for row in matrix.itertuples(index=False):
        i = cohorts.index(row.cohort_month)
        j = offsets.index(int(row.months_since_first_purchase))
        if bool(row.is_complete) and not _missing(row.retention_rate):
            values[i][j] = float(row.retention_rate)
            texts[i][j] = fmt_pct(row.retention_rate, 0)
        else:
            texts[i][j] = "open"
    labels = [pd.Timestamp(cohort).strftime("%Y-%m") for cohort in cohorts]
    figure = go.Figure(
        go.Heatmap(
            z=values,
            x=[str(offset) for offset in offsets],
            y=labels,
            text=texts,
            texttemplate="%{text}",
            colorscale="Blues",
            zmin=0,
            hoverongaps=False,
            colorbar={"title": "share", "tickformat": ".0%"},
            hovertemplate="cohort %{y}, month %{x}: %{z:.1%}<extra></extra>",
        )
    )
    return _figure(
        figure,
        "Retention: share of each monthly cohort buying in month k ('open' = month not over yet)",
        xaxis={"title": "months since first purchase (k)", "type": "category"},
        yaxis={"title": "cohort", "autorange": "reversed", "type": "category"},
        height=max(380, 22 * len(cohorts) + 120),
        plot_bgcolor="#FFFFFF",
    )


def cohort_rates(frame: pd.DataFrame) -> go.Figure:
    """N-day repurchase rate per monthly cohort (lines) and the censored share (bars)."""
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    for window in sorted(frame["window_days"].unique()):
        part = frame[frame["window_days"] == window]
        labels = [pd.Timestamp(value).strftime("%Y-%m") for value in part["cohort_month"]]
        colour = WINDOW_COLOURS.get(int(window), "#888888")
        figure.add_trace(
            go.Bar(
                x=labels,
                y=part["censored_share"],
                name=f"censored share {window}d",
                marker_color=colour,
                opacity=0.18,
                showlegend=True,
            ),
            secondary_y=True,
        )
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=part["repurchase_rate"],
                name=f"{window}-day rate",
                mode="lines+markers",
                line={"color": colour},
                connectgaps=False,
            ),
            secondary_y=False,
        )
    figure.update_yaxes(title_text="repurchase rate (eligible buyers)", tickformat=".0%", secondary_y=False)
    figure.update_yaxes(title_text="censored share", tickformat=".0%", range=[0, 1], secondary_y=True)
    return _figure(
        figure,
        "N-day repurchase rate by cohort (gaps: nobody eligible yet)",
        barmode="overlay",
        xaxis={"type": "category"},
    )


def dimension_rates(frame: pd.DataFrame, dimension: str, window_days: int) -> go.Figure:
    """Rates by value of one dimension with their 95% Wilson intervals, and the overall rate."""
    shown = frame.dropna(subset=["repurchase_rate"])
    figure = go.Figure(
        go.Bar(
            x=shown["dimension_value"],
            y=shown["repurchase_rate"],
            error_y={
                "type": "data",
                "symmetric": False,
                "array": shown["rate_ci_high"] - shown["repurchase_rate"],
                "arrayminus": shown["repurchase_rate"] - shown["rate_ci_low"],
            },
            marker_color=WINDOW_COLOURS.get(window_days, "#4C78A8"),
            customdata=shown[["eligible_customers", "repurchasers"]],
            hovertemplate="%{x}: %{y:.1%} (%{customdata[1]} of %{customdata[0]} eligible)<extra></extra>",
        )
    )
    if not frame.empty and not _missing(frame["overall_repurchase_rate"].iloc[0]):
        figure.add_hline(
            y=float(frame["overall_repurchase_rate"].iloc[0]),
            line_dash="dot",
            annotation_text="all eligible buyers",
        )
    return _figure(
        figure,
        f"{window_days}-day repurchase rate by {dimension} (bars: 95% interval)",
        yaxis={"tickformat": ".0%"},
        xaxis={"type": "category"},
    )


def user_layers(frame: pd.DataFrame) -> go.Figure:
    """Monthly user layers (rpt_user_layers) as grouped bars."""
    figure = go.Figure()
    for column, label in [
        ("new_accounts", "new accounts (no purchase)"),
        ("first_time_buyers", "first-time buyers"),
        ("repeat_buyers", "repeat buyers"),
        ("high_frequency_repeat_buyers", "high-frequency repeat buyers"),
    ]:
        figure.add_trace(go.Bar(x=frame["month_label"], y=frame[column], name=label))
    return _figure(figure, "User layers per month", barmode="group", xaxis={"type": "category"})


def matrix_heatmap(frame: pd.DataFrame, rows: str, columns: str, value: str, title: str) -> go.Figure:
    """A count matrix as an annotated heatmap."""
    pivot = frame.pivot_table(index=rows, columns=columns, values=value, aggfunc="sum", fill_value=0)
    figure = go.Figure(
        go.Heatmap(
            z=pivot.values,
            x=[str(column) for column in pivot.columns],
            y=[str(index) for index in pivot.index],
            text=[[fmt_int(cell) for cell in row] for row in pivot.values],
            texttemplate="%{text}",
            colorscale="Blues",
            hovertemplate=f"{rows} %{{y}}, {columns} %{{x}}: %{{z}}<extra></extra>",
        )
    )
    return _figure(
        figure, title, xaxis={"title": columns, "type": "category"}, yaxis={"title": rows, "type": "category"}
    )


def funnel(row: dict[str, Any]) -> go.Figure:
    """One broadcast's funnel: viewers, engaged, product clickers, add-to-cart, buyers."""
    stages = [
        ("viewers", "viewers"),
        ("engaged viewers", "engaged_viewers"),
        ("product clickers", "product_clickers"),
        ("added to cart", "add_to_cart_viewers"),
        ("buyers", "buyers"),
    ]
    figure = go.Figure(
        go.Funnel(
            y=[label for label, _ in stages],
            x=[0 if _missing(row[column]) else int(row[column]) for _, column in stages],
            textinfo="value+percent initial",
        )
    )
    return _figure(figure, f"Funnel of broadcast {row['session_id']} ({row['host_id']}, {row['platform']})")


def timeslot_heatmap(frame: pd.DataFrame, market: str) -> go.Figure:
    """GPM per local weekday x start hour of one market (rpt_live_timeslots); empty = no broadcast."""
    values = [[math.nan] * 24 for _ in WEEKDAYS]
    texts = [[""] * 24 for _ in WEEKDAYS]
    for row in frame.itertuples(index=False):
        day = int(row.start_weekday_local) - 1
        hour = int(row.start_hour_local)
        values[day][hour] = math.nan if _missing(row.gpm_net_usd) else float(row.gpm_net_usd)
        texts[day][hour] = (
            "★" if not _missing(row.gpm_rank_in_market) and int(row.gpm_rank_in_market) == 1 else ""
        )
    zone = str(frame["market_time_zone"].iloc[0]) if not frame.empty else ""
    figure = go.Figure(
        go.Heatmap(
            z=values,
            x=[str(hour) for hour in range(24)],
            y=WEEKDAYS,
            text=texts,
            texttemplate="%{text}",
            colorscale="YlGnBu",
            hoverongaps=False,
            colorbar={"title": "GPM (USD)"},
            hovertemplate="%{y} %{x}:00: GPM %{z:,.0f}<extra></extra>",
        )
    )
    return _figure(
        figure,
        f"GPM by local weekday and start hour, {market} ({zone}); ★ = best slot",
        xaxis={"title": "local start hour", "type": "category"},
        yaxis={"autorange": "reversed", "type": "category"},
        plot_bgcolor="#FFFFFF",
    )


def quality_impact(frame: pd.DataFrame, band_type: str) -> go.Figure:
    """GMV at risk and GMV per viewer by quality band (rpt_stream_quality_impact, summed over markets)."""
    part = frame[frame["band_type"] == band_type]
    grouped = (
        part.groupby(["band", "band_order"], dropna=False)
        .agg(gmv_at_risk_usd=("gmv_at_risk_usd", "sum"), viewer_sessions=("viewer_sessions", "sum"))
        .reset_index()
        .sort_values("band_order", na_position="last")
    )
    figure = go.Figure(
        go.Bar(
            x=grouped["band"],
            y=grouped["gmv_at_risk_usd"],
            marker_color="#E45756",
            customdata=grouped[["viewer_sessions"]],
            hovertemplate="%{x}: %{y:$,.0f} at risk (%{customdata[0]} viewer-sessions)<extra></extra>",
        )
    )
    return _figure(
        figure,
        f"GMV at risk by {band_type} band (vs the best comparable band of each market)",
        yaxis={"title": "USD", "tickformat": "$,.0f"},
        xaxis={"type": "category"},
    )


def bar(frame: pd.DataFrame, x: str, y: str, title: str, colour: str | None = None) -> go.Figure:
    """A plain bar chart."""
    figure = go.Figure(go.Bar(x=frame[x], y=frame[y], marker_color=colour or "#4C78A8"))
    return _figure(figure, title, xaxis={"type": "category"})
