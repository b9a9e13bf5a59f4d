"""`livewh dashboard` in a real headless Chromium: every page renders without an error, offline,
and its headline figures equal the marts' values; filters change them; a new build shows on refresh.

The dashboard serves a copy of the session's demo warehouse (with its build's quality results),
so the last test can swap a new file in with os.replace as a build does. Screenshots of every
page go to a temporary folder, or to $LIVEWH_SCREENSHOT_DIR when set (README: docs/screenshots/).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from playwright.sync_api import Page, expect

from conftest import SCRIPTS_DIR, DemoWarehouse

PAGES = {
    "Overview": "",
    "Repurchase": "repurchase",
    "Segments": "segments",
    "Live": "live",
    "Data quality": "data-quality",
}
LOCAL_HOSTS = ("127.0.0.1", "localhost")
#: Render time for one page run (Streamlit reruns the script; the marts are small).
RENDER_TIMEOUT_MS = 90_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def served_warehouse(demo_warehouse: DemoWarehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the demo warehouse beside a copy of its build's quality results."""
    folder = tmp_path_factory.mktemp("served")
    target = folder / demo_warehouse.published.name
    shutil.copy2(demo_warehouse.published, target)
    shutil.copytree(demo_warehouse.quality_dir, folder / "build" / demo_warehouse.run_id / "quality")
    return target


@pytest.fixture(scope="module")
def dashboard(served_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`livewh dashboard` running in its own process; yields its base URL and stops it afterwards."""
    port = _free_port()
    log = tmp_path_factory.mktemp("dashboard") / "streamlit.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SCRIPTS_DIR), os.environ.get("PYTHONPATH", "")]),
    }
    with log.open("w") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "livewh", "dashboard", "--db", str(served_warehouse), "--port", str(port)],
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    break
        except OSError:
            pass
        assert process.poll() is None, f"the dashboard exited early:\n{log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, f"the dashboard did not start:\n{log.read_text()[-3000:]}"
        time.sleep(0.5)
    yield base
    os.killpg(process.pid, 15)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.wait(timeout=20)


@pytest.fixture
def offline_page(page: Page) -> Iterator[tuple[Page, list[str]]]:
    """A page whose requests leaving this machine are blocked and recorded (the dashboard is offline)."""
    outside: list[str] = []

    def route(route: Any) -> None:
        host = re.sub(r"^[a-z]+://([^/:]+).*$", r"\1", route.request.url)
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.set_viewport_size({"width": 1400, "height": 1000})
    yield page, outside


def open_page(page: Page, base: str, path: str, title: str) -> None:
    """Open a dashboard page and wait until Streamlit has drawn all of it."""
    page.goto(f"{base}/{path}")
    expect(page.locator("h1").first).to_have_text(title, timeout=RENDER_TIMEOUT_MS)
    wait_until_idle(page)


def wait_until_idle(page: Page) -> None:
    """Wait until the script run is over: its last element is drawn and no run is in progress."""
    expect(page.locator(".st-key-page-done")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=RENDER_TIMEOUT_MS
    )


def assert_no_error(page: Page) -> None:
    """No exception box, no error alert."""
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()
    errors = page.locator('[data-testid="stAlertContentError"]')
    assert errors.count() == 0, errors.first.inner_text()


def metrics(page: Page, container: str, count: int) -> dict[str, str]:
    """label -> displayed value of the ``count`` st.metric elements in a keyed container."""
    expect(page.locator(f".st-key-{container} [data-testid='stMetricValue']")).to_have_count(
        count, timeout=RENDER_TIMEOUT_MS
    )
    found: dict[str, str] = {}
    for element in page.locator(f".st-key-{container} [data-testid='stMetric']").all():
        label = element.locator("[data-testid='stMetricLabel']").inner_text().strip()
        value = element.locator("[data-testid='stMetricValue']").inner_text().strip()
        found[label] = value
    assert found, f"no metric in container {container}"
    return found


def parse(text: str) -> tuple[float | None, float]:
    """A displayed number and half a unit of its last digit (the rounding tolerance); '–' is None."""
    if text == "–":
        return None, 0.0
    cleaned = text.replace("$", "").replace(",", "")
    scale = 0.01 if cleaned.endswith("%") else 1.0
    cleaned = cleaned.rstrip("%")
    decimals = len(cleaned.split(".")[1]) if "." in cleaned else 0
    return float(cleaned) * scale, 0.5 * 10**-decimals * scale + 1e-9


def assert_shows(displayed: str, expected: Any, what: str) -> None:
    """The displayed text is the mart's value (within the display's rounding)."""
    value, tolerance = parse(displayed)
    if expected is None:
        assert value is None, f"{what}: shows {displayed}, the mart has null"
        return
    assert value is not None, f"{what}: shows '–', the mart has {expected}"
    assert abs(value - float(expected)) <= tolerance, f"{what}: shows {displayed}, the mart has {expected}"


def mart_row(db: Path, sql: str, params: list[Any] | None = None) -> dict[str, Any]:
    with duckdb.connect(str(db), read_only=True) as connection:
        cursor = connection.execute(sql, params or [])
        names = [column[0] for column in cursor.description]
        row = cursor.fetchone()
    assert row is not None, sql
    return dict(zip(names, row, strict=True))


KPI_LABELS = {
    "Net GMV (USD)": "net_gmv_usd",
    "Orders": "qualifying_orders",
    "Buyers": "buyers",
    "AOV (net USD)": "aov_net_usd",
    "Repeat-buyer rate": "repeat_buyer_rate",
    "First-time buyers": "first_time_buyers",
    "Live viewers": "live_viewers",
    "Live conversion": "live_conversion_rate",
    "Live GPM (USD)": "live_gpm_net_usd",
}


def latest_kpis(db: Path, period_type: str, market: str = "all", channel: str = "all") -> dict[str, Any]:
    return mart_row(
        db,
        """
        select * from main.rpt_period_kpis
        where period_type = ? and market_country_code = ? and acquisition_channel = ?
            and period_start_date = (
                select max(period_start_date) from main.rpt_period_kpis
                where period_type = ? and is_complete_period
            )
        """,
        [period_type, market, channel, period_type],
    )


def shrink_png(path: Path) -> None:
    """Re-save a screenshot with a 256-colour palette (a third of the size; fine for docs)."""
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256).save(path, optimize=True)


def screenshot(page: Page, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("LIVEWH_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"dashboard-{name}.png"
    page.screenshot(path=str(target))
    shrink_png(target)


@pytest.mark.parametrize("title", list(PAGES))
def test_page_renders_offline_without_error(
    dashboard: str, offline_page: tuple[Page, list[str]], title: str, tmp_path: Path
) -> None:
    page, outside = offline_page
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    open_page(page, dashboard, PAGES[title], title)
    assert_no_error(page)
    assert page.locator('[data-testid="stAlertContentInfo"]').first.inner_text().startswith("How to read it")
    for label in ("Market", "Period (months)"):
        expect(page.locator('[data-testid="stSidebar"]').get_by_text(label, exact=True)).to_be_visible()
    if title != "Data quality" or page.get_by_text("No raw row was quarantined.").count() == 0:
        expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    assert not page_errors, page_errors
    assert not outside, f"the page tried to reach the network: {outside[:5]}"
    screenshot(page, PAGES[title] or "overview", tmp_path)


def test_overview_headlines_equal_the_marts(
    dashboard: str, offline_page: tuple[Page, list[str]], served_warehouse: Path
) -> None:
    page, _ = offline_page
    open_page(page, dashboard, "", "Overview")
    for period_type in ("week", "month"):
        shown = metrics(page, f"kpi-{period_type}", len(KPI_LABELS))
        row = latest_kpis(served_warehouse, period_type)
        assert set(shown) == set(KPI_LABELS)
        for label, column in KPI_LABELS.items():
            assert_shows(shown[label], row[column], f"{period_type} {label}")


def test_overview_market_filter_shows_the_market_row(
    dashboard: str, offline_page: tuple[Page, list[str]], served_warehouse: Path
) -> None:
    page, _ = offline_page
    open_page(page, dashboard, "", "Overview")
    net_gmv = page.locator(".st-key-kpi-month [data-testid='stMetricValue']").first
    expect(net_gmv).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    everywhere = net_gmv.inner_text()
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="US", exact=True).click()
    expect(net_gmv).not_to_have_text(everywhere, timeout=RENDER_TIMEOUT_MS)
    wait_until_idle(page)
    row = latest_kpis(served_warehouse, "month", market="US")
    shown = metrics(page, "kpi-month", len(KPI_LABELS))
    for label, column in KPI_LABELS.items():
        assert_shows(shown[label], row[column], f"US month {label}")
    assert_no_error(page)


def test_repurchase_headlines_equal_the_marts(
    dashboard: str, offline_page: tuple[Page, list[str]], served_warehouse: Path
) -> None:
    page, _ = offline_page
    open_page(page, dashboard, "repurchase", "Repurchase")
    shown = metrics(page, "repurchase-headline", 3)
    for window in (30, 90, 180):
        row = mart_row(
            served_warehouse,
            "select repurchase_rate from main.fct_cohort_repurchase "
            "where cohort_grain = 'all' and window_days = ?",
            [window],
        )
        assert_shows(shown[f"{window}-day repurchase rate"], row["repurchase_rate"], f"{window}-day rate")
    heatmap = page.locator(".js-plotly-plot").first
    expect(heatmap.locator(".main-svg").first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    assert "open" in heatmap.inner_text(), "open retention cells are not marked"


def test_segments_headlines_equal_the_marts(
    dashboard: str, offline_page: tuple[Page, list[str]], served_warehouse: Path
) -> None:
    page, _ = offline_page
    open_page(page, dashboard, "segments", "Segments")
    shown = metrics(page, "segment-signals", 4)
    row = mart_row(
        served_warehouse,
        """
        select count(*) as people,
            count(*) filter (where is_churn_early_warning) as warning,
            count(*) filter (where is_warm_not_buying) as warm,
            count(*) filter (where is_koc_candidate) as koc
        from main.dim_customer_segments
        """,
    )
    assert_shows(shown["People"], row["people"], "people")
    assert_shows(shown["Churn early warning"], row["warning"], "churn early warning")
    assert_shows(shown["Warm but not buying"], row["warm"], "warm but not buying")
    assert_shows(shown["KOC candidates"], row["koc"], "KOC candidates")
    expect(page.get_by_text("Playbook: actions due", exact=False)).to_be_visible()


def test_live_headlines_equal_the_marts(
    dashboard: str, offline_page: tuple[Page, list[str]], served_warehouse: Path
) -> None:
    page, _ = offline_page
    open_page(page, dashboard, "live", "Live")
    shown = metrics(page, "live-headline", 5)
    row = latest_kpis(served_warehouse, "month")
    assert_shows(shown["Broadcasts"], row["broadcasts"], "broadcasts")
    assert_shows(shown["Live viewers"], row["live_viewers"], "live viewers")
    assert_shows(shown["Live conversion"], row["live_conversion_rate"], "live conversion")
    assert_shows(shown["Live GPM (USD)"], row["live_gpm_net_usd"], "live GPM")
    at_risk = mart_row(
        served_warehouse,
        "select sum(gmv_at_risk_usd) as total from main.rpt_stream_quality_impact "
        "where band_type = 'latency'",
    )
    assert_shows(shown["GMV at risk, latency (USD)"], at_risk["total"], "GMV at risk")
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    assert page.locator(".js-plotly-plot").count() >= 3, "funnel, time slots and quality charts expected"


def test_data_quality_shows_the_builds_checks(
    dashboard: str, offline_page: tuple[Page, list[str]], served_warehouse: Path
) -> None:
    import json

    page, _ = offline_page
    open_page(page, dashboard, "data-quality", "Data quality")
    run_id = mart_row(served_warehouse, "select run_id from main.warehouse_build_info")["run_id"]
    results = json.loads(
        (served_warehouse.parent / "build" / run_id / "quality" / "results.json").read_text(encoding="utf-8")
    )
    shown = metrics(page, "quality-headline", 4)
    ran = [check for check in results["checks"] if check["status"] != "skipped"]
    assert_shows(shown["Checks run"], len(ran), "checks run")
    assert_shows(shown["Passed"], sum(check["status"] == "passed" for check in ran), "passed")
    assert_shows(shown["Errors"], results["errors"], "errors")
    assert_shows(shown["Warnings"], results["warnings"], "warnings")
    expect(page.get_by_text("Raw reconciliation", exact=True)).to_be_visible()


def test_a_new_build_shows_on_the_next_refresh(
    dashboard: str, offline_page: tuple[Page, list[str]], served_warehouse: Path
) -> None:
    """The dashboard holds no connection: a file swapped in (os.replace, as a build does) shows on refresh."""
    page, _ = offline_page
    open_page(page, dashboard, "", "Overview")
    before = metrics(page, "kpi-month", len(KPI_LABELS))["Orders"]
    new_build = served_warehouse.with_name("incoming") / served_warehouse.name
    new_build.parent.mkdir(exist_ok=True)
    shutil.copy2(served_warehouse, new_build)
    with duckdb.connect(str(new_build)) as connection:
        connection.execute(
            """
            update main.rpt_period_kpis set qualifying_orders = 987654
            where period_type = 'month' and market_country_code = 'all' and acquisition_channel = 'all'
                and period_start_date = (
                    select max(period_start_date) from main.rpt_period_kpis
                    where period_type = 'month' and is_complete_period
                )
            """
        )
    # the swap must not be blocked by the running dashboard: a read-write open proves no reader holds a lock
    with duckdb.connect(str(served_warehouse)):
        pass
    os.replace(new_build, served_warehouse)
    page.reload()
    expect(page.locator("h1").first).to_have_text("Overview", timeout=RENDER_TIMEOUT_MS)
    wait_until_idle(page)
    after = metrics(page, "kpi-month", len(KPI_LABELS))["Orders"]
    assert before != after
    assert after == "987,654"
