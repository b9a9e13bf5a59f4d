"""``livewh report``: the weekly or monthly review as one self-contained HTML file.

One period (the latest complete ISO week or calendar month by default): headline numbers against
the previous period and the same period a year earlier, the biggest segment moves, the best and
worst broadcasts, stream-quality alerts, data-quality status, and the segments whose playbook
action is due with their size and the command that exports the audience. Every number is a mart
value read through :mod:`livewh.views` (mostly a row of ``main.rpt_period_kpis``); nothing is
recomputed in Python.

The file embeds plotly.js and writes every style as an inline ``style`` attribute, so it opens
offline and survives being mailed (mail clients drop ``<style>`` blocks; the tables carry every
number even where a client does not run the charts' script).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from livewh import charts, views
from livewh.errors import LivewhError
from livewh.paths import display
from livewh.views import Warehouse

PERIOD_TYPES = ("week", "month")
FONT = "font-family:Helvetica,Arial,sans-serif;color:#1f2933;"
STYLE_BODY = f"{FONT}margin:0;padding:24px;background:#ffffff;max-width:1100px;"
STYLE_H1 = "font-size:26px;margin:0 0 4px 0;"
STYLE_H2 = "font-size:19px;margin:32px 0 6px 0;padding-bottom:4px;border-bottom:2px solid #4C78A8;"
STYLE_NOTE = "font-size:13px;color:#52606d;margin:4px 0 10px 0;"
STYLE_TABLE = "border-collapse:collapse;font-size:13px;margin:6px 0 12px 0;width:100%;"
STYLE_TH = "text-align:left;background:#eef2f7;padding:6px 8px;border-bottom:1px solid #c7d0d9;"
STYLE_TD = "padding:5px 8px;border-bottom:1px solid #e4e7eb;vertical-align:top;"
STYLE_NUM = "text-align:right;white-space:nowrap;"
STYLE_CODE = "font-family:Menlo,Consolas,monospace;font-size:12px;background:#f5f7fa;padding:1px 4px;"
STYLE_BADGE = "display:inline-block;padding:2px 8px;border-radius:10px;font-size:13px;font-weight:bold;"
UP, DOWN, FLAT = "#1b7f3b", "#b42318", "#52606d"


@dataclass(frozen=True)
class Report:
    """A written report."""

    path: Path
    period_type: str
    period_label: str
    headline: dict[str, Any]


def choose_period(warehouse: Warehouse, period_type: str, on: date | None) -> dict[str, Any]:
    """The period to report: the one holding ``on``, else the latest complete one."""
    frame = views.periods(warehouse, period_type)
    if frame.empty:
        raise LivewhError("the warehouse has no periods to report (main.rpt_period_kpis is empty).")
    rows = [{key: views._plain(value) for key, value in row.items()} for row in frame.to_dict("records")]
    if on is not None:
        for row in rows:
            if row["period_start_date"] <= on <= row["period_end_date"]:
                return row
        raise LivewhError(
            f"no {period_type} holding {on} in the warehouse (it covers {rows[-1]['period_start_date']} to "
            f"{rows[0]['period_end_date']})."
        )
    complete = [row for row in rows if row["is_complete_period"]]
    if not complete:
        raise LivewhError(f"no complete {period_type} yet before the observation end; pass --date.")
    return complete[0]


def write_report(db_path: Path, period_type: str, out: Path | None = None, on: date | None = None) -> Report:
    """Write the review of one week or month of ``db_path`` to ``out``; return where and what."""
    if period_type not in PERIOD_TYPES:
        raise LivewhError(f"--period must be week or month, not '{period_type}'.")
    warehouse = Warehouse(db_path)
    if not db_path.is_file():
        raise LivewhError(
            f"no warehouse file at '{display(db_path)}'. Build one with `livewh build` or pass --db."
        )
    if not warehouse.has("rpt_period_kpis"):
        raise LivewhError(
            f"'{display(db_path)}' has no main.rpt_period_kpis: it was built before the review "
            "report existed. "
            "Rebuild it with `livewh build`."
        )
    period = choose_period(warehouse, period_type, on)
    headline = views.kpi_row(warehouse, period_type, period["period_start_date"]) or {}
    document = render(warehouse, period_type, period, headline)
    target = (
        out or db_path.parent / "exports" / "reports" / f"review_{period_type}_{period['period_label']}.html"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(document, encoding="utf-8")
    return Report(target, period_type, str(period["period_label"]), headline)


# --- rendering ----------------------------------------------------------------------------------


def _e(value: Any) -> str:
    return html.escape("–" if value is None else str(value))


def _change_badge(text: str | None, value: Any) -> str:
    if text is None:
        return f'<span style="color:{FLAT};">–</span>'
    colour = FLAT if not value else (UP if float(value) > 0 else DOWN)
    return f'<span style="color:{colour};white-space:nowrap;">{_e(text)}</span>'


def table(
    frame: pd.DataFrame, columns: Iterable[tuple[str, str, Callable[[Any], str] | None]], *, test_id: str
) -> str:
    """An HTML table with inline styles; columns are (column, heading, formatter or None for text)."""
    spec = list(columns)
    head = "".join(
        f'<th style="{STYLE_TH}{STYLE_NUM if formatter else ""}">{_e(heading)}</th>'
        for _, heading, formatter in spec
    )
    rows = []
    for record in frame.to_dict("records"):
        cells = []
        for column, _, formatter in spec:
            value = record.get(column)
            if formatter is None:
                cells.append(f'<td style="{STYLE_TD}">{_e(views._plain(value))}</td>')
            else:
                cells.append(f'<td style="{STYLE_TD}{STYLE_NUM}">{_e(formatter(value))}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    if not rows:
        rows.append(f'<tr><td style="{STYLE_TD}" colspan="{len(spec)}">none</td></tr>')
    return (
        f'<table data-testid="{test_id}" style="{STYLE_TABLE}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _section(title: str, note: str, body: str, section_id: str) -> str:
    return (
        f'<section id="{section_id}"><h2 style="{STYLE_H2}">{_e(title)}</h2>'
        f'<p style="{STYLE_NOTE}">{note}</p>{body}</section>'
    )


class _Plots:
    """Plotly figures as HTML: the first one embeds plotly.js, the others reuse it."""

    def __init__(self) -> None:
        self.embedded = False

    def __call__(self, figure: go.Figure) -> str:
        figure.update_layout(height=340)
        fragment = figure.to_html(
            full_html=False,
            include_plotlyjs=not self.embedded,
            config={"displaylogo": False, "responsive": True},
        )
        self.embedded = True
        return f'<div style="margin:8px 0;">{fragment}</div>'


def _year_over_year(change_column: str) -> str:
    """The year-over-year column of a change column (rpt_period_kpis naming)."""
    if change_column.endswith("_change_rate"):
        return change_column.removesuffix("_change_rate") + "_yoy_change_rate"
    return change_column.removesuffix("_change") + "_yoy_change"


def headline_table(row: dict[str, Any]) -> str:
    """This period against the previous one and the same period a year earlier (one rpt_period_kpis row)."""
    head = "".join(
        f'<th style="{STYLE_TH}{STYLE_NUM if index else ""}">{heading}</th>'
        for index, heading in enumerate(["", "this period", "previous", "change", "a year earlier", "change"])
    )
    body = []
    for column, label, fmt, change_column, change_fmt in charts.HEADLINES:
        yoy_column = _year_over_year(change_column)
        value, previous, year_ago = (
            row.get(column),
            row.get("previous_" + column),
            row.get("year_ago_" + column),
        )
        change, yoy_change = row.get(change_column), row.get(yoy_column)
        cell = f'<td style="{STYLE_TD}{STYLE_NUM}">'
        body.append(
            f'<tr data-metric="{column}"><td style="{STYLE_TD}">{_e(label)}</td>'
            f'<td data-value="{column}" style="{STYLE_TD}{STYLE_NUM}font-weight:bold;">{_e(fmt(value))}</td>'
            f"{cell}{_e(fmt(previous))}</td>"
            f"{cell}{_change_badge(change_fmt(change), change)}</td>"
            f"{cell}{_e(fmt(year_ago))}</td>"
            f"{cell}{_change_badge(change_fmt(yoy_change), yoy_change)}</td>"
            "</tr>"
        )
    return (
        f'<table data-testid="headline" style="{STYLE_TABLE}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def render(warehouse: Warehouse, period_type: str, period: dict[str, Any], headline: dict[str, Any]) -> str:
    """The whole HTML document."""
    plots = _Plots()
    info = warehouse.build_info()
    start, end = period["period_start_date"], period["period_end_date"]
    noun = "Week" if period_type == "week" else "Month"
    parts: list[str] = []

    # headline
    trend = views.kpi_trend(warehouse, period_type, views.Filters(end=end))
    trend = trend.tail(26 if period_type == "week" else 13)
    markets = warehouse.query(
        """
        select market_country_code, net_gmv_usd, net_gmv_usd_change_rate, buyers, repeat_buyer_rate,
            live_viewers, live_conversion_rate
        from main.rpt_period_kpis
        where period_type = ? and period_start_date = ? and acquisition_channel = 'all'
            and market_country_code != 'all'
        order by net_gmv_usd desc, market_country_code
        limit 10
        """,
        [period_type, start],
    )
    parts.append(
        _section(
            "Headline numbers",
            "All markets and channels (main.rpt_period_kpis). Changes of rates are in percentage points. "
            "A year earlier = 12 months (or 52 weeks) before; '–' where the data does not reach.",
            headline_table(headline)
            + plots(charts.kpi_trend(trend, "net_gmv_usd", f"Net GMV (USD) per {period_type}"))
            + f'<p style="{STYLE_NOTE}">Top markets by net GMV this {period_type}:</p>'
            + table(
                markets,
                [
                    ("market_country_code", "market", None),
                    ("net_gmv_usd", "net GMV", charts.fmt_usd),
                    ("net_gmv_usd_change_rate", "change", lambda v: charts.fmt_change_rate(v) or "–"),
                    ("buyers", "buyers", charts.fmt_int),
                    ("repeat_buyer_rate", "repeat-buyer rate", charts.fmt_pct),
                    ("live_viewers", "live viewers", charts.fmt_int),
                    ("live_conversion_rate", "live conversion", charts.fmt_pct),
                ],
                test_id="markets",
            ),
            "headline",
        )
    )

    # segment moves
    months = views.migration_months(warehouse)
    move_month = next((month for month in months if month <= end), None)
    moves = views.biggest_moves(warehouse, move_month) if move_month else pd.DataFrame()
    sizes = views.playbook(warehouse, period_type, start)
    size_changes = sizes.reindex(sizes["people_change"].abs().sort_values(ascending=False).index).head(8)
    parts.append(
        _section(
            "Biggest segment moves",
            (
                f"People moving between segments from the end of the previous month to the end of "
                f"{move_month:%Y-%m} (main.rpt_segment_migration; moves are monthly"
                + (", the month holding this week" if period_type == "week" else "")
                + "), and the segments whose size changed most this "
                f"{period_type} (main.rpt_segment_summary)."
                if move_month
                else "No monthly segment moves in the data yet."
            ),
            table(
                moves,
                [
                    ("segment_type", "segment type", None),
                    ("from_segment", "from", None),
                    ("to_segment", "to", None),
                    ("people", "people", charts.fmt_int),
                    ("share_of_from_segment", "share of 'from'", charts.fmt_pct),
                ],
                test_id="moves",
            )
            + table(
                size_changes,
                [
                    ("segment_type", "segment type", None),
                    ("segment", "segment", None),
                    ("people", "people", charts.fmt_int),
                    ("people_change", f"change vs previous {period_type}", lambda v: _signed(v)),
                ],
                test_id="size-changes",
            ),
            "segment-moves",
        )
    )

    # broadcasts
    best, worst = views.best_and_worst_broadcasts(warehouse, start, end)
    broadcast_columns = [
        ("session_id", "broadcast", None),
        ("start_date_local", "date", None),
        ("host_id", "host", None),
        ("platform", "platform", None),
        ("market_country_code", "market", None),
        ("viewers", "viewers", charts.fmt_int),
        ("buyers", "buyers", charts.fmt_int),
        ("gmv_net_usd", "net GMV", charts.fmt_usd),
        ("conversion_rate", "conversion", charts.fmt_pct),
        ("gpm_net_usd", "GPM", charts.fmt_usd),
    ]
    parts.append(
        _section(
            "Best and worst broadcasts",
            "Best: highest net GMV (during and post-live). Worst: lowest GPM among broadcasts with "
            "at least the "
            f"{period_type}'s median number of viewers (main.fct_live_session_performance).",
            f'<p style="{STYLE_NOTE}"><b>Best</b></p>'
            + table(best, broadcast_columns, test_id="best-broadcasts")
            + f'<p style="{STYLE_NOTE}"><b>Worst</b></p>'
            + table(worst, broadcast_columns, test_id="worst-broadcasts"),
            "broadcasts",
        )
    )

    # quality alerts
    alerts = views.quality_alerts(warehouse, start, end)
    at_risk = views.gmv_at_risk_total(warehouse, "latency")
    parts.append(
        _section(
            "Stream quality alerts",
            f"{len(alerts)} broadcast(s) this {period_type} with p95 latency of 1,000 ms or more "
            "or a freeze ratio "
            f"of 5% or more. GMV at risk from latency over all broadcasts of the data: "
            f"<b>{_e(charts.fmt_usd(at_risk))}</b> (main.rpt_stream_quality_impact, against each "
            "market's best "
            "comparable band; an observational estimate).",
            table(
                alerts.head(10),
                [
                    ("session_id", "broadcast", None),
                    ("start_date_local", "date", None),
                    ("host_id", "host", None),
                    ("market_country_code", "market", None),
                    ("viewers", "viewers", charts.fmt_int),
                    ("p95_latency_ms", "p95 latency (ms)", lambda v: charts.fmt_number(v, 0)),
                    ("freeze_ratio", "freeze ratio", charts.fmt_pct),
                ],
                test_id="quality-alerts",
            ),
            "quality-alerts",
        )
    )

    # data quality
    results, folder = views.read_quality_results(warehouse, info)
    reconciliation = views.raw_reconciliation(warehouse)
    reasons = views.quarantine_reasons(warehouse)
    if results:
        status_colour = "#fde8e8" if results["errors"] else ("#fff4e5" if results["warnings"] else "#e6f4ea")
        status = (
            f'<span data-testid="quality-status" style="{STYLE_BADGE}background:{status_colour};">'
            f"{_e(results['headline'])}</span>"
        )
        failed = pd.DataFrame([check for check in results["checks"] if check["status"] == "failed"])
    else:
        status = (
            f'<span data-testid="quality-status" style="{STYLE_BADGE}background:#fff4e5;">'
            f"no quality results found in {_e(folder)}</span>"
        )
        failed = pd.DataFrame()
    not_reconciled = (
        int((~reconciliation["reconciles"].astype(bool)).sum()) if not reconciliation.empty else 0
    )
    quarantined = int(reconciliation["quarantined_rows"].sum()) if not reconciliation.empty else 0
    parts.append(
        _section(
            "Data quality",
            f"The checks the build ran before publishing; {quarantined:,} raw row(s) quarantined; "
            f"{not_reconciled} raw table(s) not reconciling (raw = accepted + quarantined + erased).",
            status
            + (
                table(
                    failed,
                    [
                        ("severity", "severity", None),
                        ("relation", "relation", None),
                        ("column", "column", None),
                        ("check", "check", None),
                        ("message", "message", None),
                    ],
                    test_id="failed-checks",
                )
                if not failed.empty
                else f'<p style="{STYLE_NOTE}">No failed check.</p>'
            )
            + table(
                reasons.head(10),
                [
                    ("table_name", "table", None),
                    ("quarantine_reason", "reason", None),
                    ("rows", "rows", charts.fmt_int),
                ],
                test_id="quarantine-reasons",
            ),
            "data-quality",
        )
    )

    # playbook
    parts.append(
        _section(
            "Playbook: actions due",
            f"Segments at the end of the {period_type} whose playbook (seed segment_playbook) "
            "names an action and "
            "a channel, with their size and the change since the previous period. The command exports the "
            "segment's people as of the observation end (hashed e-mail and phone) to exports/audiences/.",
            table(
                sizes,
                [
                    ("segment_type", "segment type", None),
                    ("segment", "segment", None),
                    ("people", "people", charts.fmt_int),
                    ("people_change", "change", lambda v: _signed(v)),
                    ("suggested_action", "action", None),
                    ("suggested_channel", "channel", None),
                    ("audience_command", "export the audience", None),
                ],
                test_id="playbook",
            ).replace(
                '<td style="' + STYLE_TD + '">livewh audience',
                '<td style="' + STYLE_TD + STYLE_CODE + '">livewh audience',
            ),
            "playbook",
        )
    )

    # --- predictions backtest (optional mart from the predictions work) --------------------------------
    # Rendered only when main.rpt_prediction_backtest exists (queried only then).
    backtest = views.prediction_backtest(warehouse)
    if backtest is not None:
        parts.append(
            _section(
                "Predictions: backtest",
                "How the predictions made at an earlier cut-off compared with what happened after it "
                "(main.rpt_prediction_backtest).",
                table(
                    backtest.head(30),
                    [(column, column, None) for column in backtest.columns],
                    test_id="prediction-backtest",
                ),
                "predictions",
            )
        )

    stamp = (
        f"build {info.run_id}, built {info.built_at:%Y-%m-%d %H:%M} UTC, observation end {info.as_of_date}"
        if info
        else "no build stamp"
    )
    title = f"{noun} {period['period_label']} ({start:%d %b} – {end:%d %b %Y})"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>livewh review: {_e(title)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        f'<body style="{STYLE_BODY}">'
        f'<h1 data-testid="title" style="{STYLE_H1}">Review: {_e(title)}</h1>'
        f'<p style="{STYLE_NOTE}">livewh {_e(stamp)}; written {datetime.now(UTC):%Y-%m-%d %H:%M} UTC'
        f"{'' if period['is_complete_period'] else '; this period is not over yet (figures so far)'}.</p>"
        + "".join(parts)
        + f'<p style="{STYLE_NOTE}margin-top:32px;">Every figure is read from the warehouse marts; the '
        "definitions are in the README (Metric definitions).</p></body></html>"
    )


def _signed(value: Any) -> str:
    plain = views._plain(value)
    return "–" if plain is None else f"{int(plain):+,}"
