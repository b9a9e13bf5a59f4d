"""docs/demo-data.md stays true: its measured figures are what `livewh demo-doc` measures on the demo."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from conftest import CliResult
from livewh.demo_doc import DEFAULT_PAGE, render, update_page
from livewh.errors import LivewhError


def test_the_demo_page_is_current(published_demo: Path, demo_raw: Path) -> None:
    is_current, diff = update_page(published_demo, demo_raw, DEFAULT_PAGE, check=True)
    assert is_current, (
        "docs/demo-data.md is not what the demo measures; run `make demo && livewh demo-doc` and "
        f"review the change:\n{diff}"
    )


def test_the_page_reports_what_the_marts_hold(published_demo: Path) -> None:
    # the figures the issue found wrong, read back from the marts they must agree with
    page = DEFAULT_PAGE.read_text(encoding="utf-8")
    with duckdb.connect(str(published_demo), read_only=True) as connection:
        (in_full,) = connection.execute(
            "select count(*) from main.fct_orders where refund_count > 0 and refunded_amount >= gross_amount"
        ).fetchone()
        watch = connection.execute(
            "select sum(avg_watch_minutes * viewer_sessions) / sum(viewer_sessions) "
            "from main.rpt_stream_quality_impact where band_type = 'latency' and band_order is not null "
            "group by band, band_order order by band_order"
        ).fetchall()
    assert f"{in_full:,} of them in full" in page
    assert ", ".join(f"{minutes:.1f}" for (minutes,) in watch) + " minutes" in page


def test_demo_doc_check_reports_a_stale_page(
    published_demo: Path, demo_raw: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    stale = tmp_path / "demo-data.md"
    text = DEFAULT_PAGE.read_text(encoding="utf-8")
    start = text.index("<!-- measured:orders -->") + len("<!-- measured:orders -->")
    stale.write_text(text[:start] + "Demo: 99% live." + text[text.index("<!-- /measured:orders -->") :])
    result = run_cli("demo-doc", "--db", published_demo, "--raw-dir", demo_raw, "--page", stale, "--check")
    assert result.code == 1
    assert "-<!-- measured:orders -->Demo: 99% live." in result.out and "is not current" in result.out
    assert "99% live" in stale.read_text()  # --check never writes

    result = run_cli("demo-doc", "--db", published_demo, "--raw-dir", demo_raw, "--page", stale)
    assert result.code == 0 and "rewrote the measured blocks" in result.out
    assert stale.read_text() == text


def test_render_keeps_text_outside_the_blocks_and_refuses_unknown_blocks() -> None:
    page = "a <!-- measured:x -->old<!-- /measured:x --> b\n<!-- measured:y -->\nold\n<!-- /measured:y -->\n"
    assert render(page, {"x": "new", "y": "two\nlines"}) == (
        "a <!-- measured:x -->new<!-- /measured:x --> b\n"
        "<!-- measured:y -->\ntwo\nlines\n<!-- /measured:y -->\n"
    )
    with pytest.raises(LivewhError, match=r"missing \['z'\]"):
        render(page, {"x": "1", "y": "2", "z": "3"})
    with pytest.raises(LivewhError, match=r"unknown \['y'\]"):
        render(page, {"x": "1"})
