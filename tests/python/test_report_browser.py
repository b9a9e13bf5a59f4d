"""`livewh report` writes one self-contained HTML file: opened in headless Chromium with every
network request blocked, it renders without a script error, draws its charts, and its headline
numbers equal the row of main.rpt_period_kpis for the period (and the previous / year-ago values).
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from playwright.sync_api import Page

from conftest import CliResult, DemoWarehouse
from livewh import charts
from test_dashboard_browser import KPI_LABELS, assert_shows, mart_row, shrink_png


def row_for(db: Path, period_type: str, period_start: date | None = None) -> dict[str, Any]:
    where = (
        "period_start_date = ?"
        if period_start
        else (
            "period_start_date = (select max(period_start_date) from main.rpt_period_kpis "
            "where period_type = ? and is_complete_period)"
        )
    )
    params: list[Any] = [period_type, period_start] if period_start else [period_type, period_type]
    return mart_row(
        db,
        "select * from main.rpt_period_kpis where period_type = ? and market_country_code = 'all' "
        f"and acquisition_channel = 'all' and {where}",
        params,
    )


def open_offline(page: Page, path: Path) -> tuple[list[str], list[str]]:
    """Open the file with every non-file request blocked; return (requests tried, script errors)."""
    outside: list[str] = []
    errors: list[str] = []

    def route(route: Any) -> None:
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 1150, "height": 1000})
    page.goto(path.as_uri())
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    return outside, errors


@pytest.mark.parametrize("period_type", ["week", "month"])
def test_report_is_self_contained_and_matches_the_marts(
    demo_warehouse: DemoWarehouse, run_cli: Any, page: Page, tmp_path: Path, period_type: str
) -> None:
    out = tmp_path / f"review-{period_type}.html"
    result: CliResult = run_cli(
        "report", "--db", demo_warehouse.published, "--period", period_type, "--out", out
    )
    assert result.code == 0, result.output
    document = out.read_text(encoding="utf-8")
    # self-contained: no external script, stylesheet or image, no <style> block (styles are inline)
    assert not re.search(r"<(script|img|iframe)[^>]+src=\"https?:", document)
    assert not re.search(r"<link[^>]+stylesheet", document)
    assert "<style" not in document
    row = row_for(demo_warehouse.published, period_type)
    assert row["period_label"] in result.out

    outside, errors = open_offline(page, out)
    assert not errors, errors
    assert not outside, f"the report tried to reach the network: {outside[:5]}"
    assert row["period_label"] in page.locator('[data-testid="title"]').inner_text()
    for label, column in KPI_LABELS.items():
        cells = page.locator(f'[data-testid="headline"] tr[data-metric="{column}"] td')
        assert cells.nth(0).inner_text() == label
        assert_shows(cells.nth(1).inner_text(), row[column], f"{label} this {period_type}")
        assert_shows(cells.nth(2).inner_text(), row[f"previous_{column}"], f"{label} previous")
        assert_shows(cells.nth(4).inner_text(), row[f"year_ago_{column}"], f"{label} a year earlier")
    for section in ("segment-moves", "broadcasts", "quality-alerts", "data-quality", "playbook"):
        assert page.locator(f"section#{section}").count() == 1, section
    quality = page.locator('[data-testid="quality-status"]').inner_text()
    assert "0 error(s)" in quality, quality
    playbook = page.locator('[data-testid="playbook"]').inner_text()
    assert "livewh audience --name" in playbook
    folder = Path(os.environ.get("LIVEWH_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"report-{period_type}.png"))
    shrink_png(folder / f"report-{period_type}.png")


def test_report_for_a_chosen_date_and_its_best_broadcasts(
    demo_warehouse: DemoWarehouse, run_cli: Any, tmp_path: Path, page: Page
) -> None:
    out = tmp_path / "review.html"
    result = run_cli(
        "report", "--db", demo_warehouse.published, "--period", "month", "--date", "2025-10-15", "--out", out
    )
    assert result.code == 0, result.output
    row = row_for(demo_warehouse.published, "month", date(2025, 10, 1))
    open_offline(page, out)
    assert "2025-10" in page.locator('[data-testid="title"]').inner_text()
    cells = page.locator('[data-testid="headline"] tr[data-metric="net_gmv_usd"] td')
    assert_shows(cells.nth(1).inner_text(), row["net_gmv_usd"], "net GMV of 2025-10")
    with duckdb.connect(str(demo_warehouse.published), read_only=True) as connection:
        (best_session, best_gmv) = connection.execute(
            """
            select session_id, gmv_net_usd from main.fct_live_session_performance
            where start_date_local between date '2025-10-01' and date '2025-10-31'
            order by gmv_net_usd desc, session_id limit 1
            """
        ).fetchone() or ("", 0)
    first_best = page.locator('[data-testid="best-broadcasts"] tbody tr').first.locator("td")
    assert first_best.nth(0).inner_text() == best_session
    assert first_best.nth(7).inner_text() == charts.fmt_usd(best_gmv)


def test_report_refuses_a_date_outside_the_data(demo_warehouse: DemoWarehouse, run_cli: Any) -> None:
    result = run_cli("report", "--db", demo_warehouse.published, "--date", "2001-01-01")
    assert result.code == 2
    assert "no week holding 2001-01-01" in result.err
