"""``livewh demo-doc``: the demo's figures in ``docs/demo-data.md``, measured from the warehouse.

Every figure the page reports about the generated demo sits between markers
``<!-- measured:NAME -->`` and ``<!-- /measured:NAME -->``; this module computes each block from
a published demo warehouse (the marts, measured the way they measure) and the demo's raw folder
(sizes, the generator's truth file), and rewrites the blocks. ``--check`` only compares, and a
test runs it on a fresh demo build, so the page cannot drift from what the code produces.
Parameters of the generator (the planted multipliers, shares, medians) are inputs, not
measurements, and stay as written; so do one-off timings of the large profile (they say how and
when they were measured).
"""

from __future__ import annotations

import difflib
import json
import re
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from livewh import PROJECT_ROOT
from livewh.errors import LivewhError
from livewh.paths import display
from livewh.rawcheck import check_raw_folder, reader_sql
from livewh.warehouse import connect_read_only, read_build_info

DEFAULT_PAGE = PROJECT_ROOT / "docs" / "demo-data.md"
BLOCK = re.compile(r"<!-- measured:(?P<name>[a-z0-9-]+) -->(?P<body>.*?)<!-- /measured:(?P=name) -->", re.S)
TRUTH_FILE = "_truth_persons.csv"
GENERATION_FILE = "_generation.json"
CONSUMABLES = ("beauty", "skincare", "snacks", "pet")
SOUTH_EAST_ASIA = ("ID", "TH", "VN", "PH", "MY", "SG")
BAD_ROW_RATE = 0.02
PAGE_WIDTH = 100


def number(value: float | int) -> str:
    """1234 -> '1,234'."""
    return f"{int(round(value)):,}"


def wrap(text: str) -> str:
    """A paragraph wrapped like the rest of the page."""
    return textwrap.fill(text, width=PAGE_WIDTH, break_long_words=False, break_on_hyphens=False)


def percent(value: float | None, digits: int = 1) -> str:
    """0.1049 -> '10.5%'."""
    return "n/a" if value is None else f"{100 * value:.{digits}f}%"


@dataclass
class Sources:
    """A read-only connection to the warehouse, and SQL readers of the raw files."""

    connection: duckdb.DuckDBPyConnection
    raw_dir: Path
    raw: dict[str, str]

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        """All rows of a query."""
        return self.connection.execute(sql).fetchall()

    def one(self, sql: str) -> tuple[Any, ...]:
        """The single row of a query."""
        return self.connection.execute(sql).fetchone() or ()


# --- the blocks -------------------------------------------------------------------------------


def sizes(sources: Sources) -> str:
    """Rows per raw table, all rows, size of the folder."""
    tables = list(sources.raw)  # every raw file of the folder, in the order the raw check lists them
    lines = ["| | demo (CSV, seed 42) |", "|---|---:|"]
    total = 0
    for table in tables:
        (count,) = sources.one(f"select count(*) from {sources.raw[table]}")
        total += count
        lines.append(f"| {table} | {number(count)} |")
    folder_bytes = sum(path.stat().st_size for path in sources.raw_dir.iterdir() if path.is_file())
    lines.append(f"| all rows | {number(total)} |")
    lines.append(f"| files on disk | {folder_bytes / 1e6:.0f} MB |")
    return "\n".join(lines)


def broadcasts(sources: Sources) -> str:
    """Broadcasts, per day, average length (main.dim_live_sessions)."""
    days = int(_generation(sources.raw_dir)["config"]["days"])
    count, minutes = sources.one("select count(*), avg(duration_minutes) from main.dim_live_sessions")
    return (
        f"Demo: {number(count)} broadcasts, {count / days:.1f} a day, {number(minutes)} minutes on average."
    )


def latency_medians(sources: Sources) -> str:
    """Median sampled latency per viewer country (raw stream_quality)."""
    rows = sources.rows(
        f"select country_code, median(try_cast(latency_ms as double)) as median_ms "
        f"from {sources.raw['stream_quality']} where country_code is not null group by all order by 2, 1"
    )
    listed = ", ".join(f"{code} {number(ms)}" for code, ms in rows)
    return f"Demo medians of the sampled latency by country (ms, stream_quality): {listed}."


def orders(sources: Sources) -> str:
    """Live share, cancelled share, average and median order (main.fct_orders)."""
    live, cancelled, mean, median = sources.one(
        """
        select
            avg(case when sales_channel = 'live' then 1 else 0 end),
            avg(case when order_status = 'cancelled' then 1 else 0 end),
            avg(gross_usd),
            median(gross_usd)
        from main.fct_orders
        """
    )
    return (
        f"Demo (main.fct_orders): {percent(live, 0)} live, {percent(cancelled)} cancelled, average order "
        f"USD {number(mean)} (median {number(median)})."
    )


def _truth(sources: Sources) -> str:
    return reader_sql(sources.raw_dir / TRUTH_FILE, "csv")


def several_accounts(sources: Sources) -> str:
    """Share of true people with several accounts (the generator's truth file)."""
    (share,) = sources.one(
        f"select avg(case when accounts > 1 then 1 else 0 end) from "
        f"(select person_id, count(*) as accounts from {_truth(sources)} group by all)"
    )
    return f"{percent(share)} in the demo after filling the exact account count"


def family_devices(sources: Sources) -> str:
    """Device identifiers shared by accounts of two or more true people."""
    (devices,) = sources.one(
        f"""
        select count(*) from (
            select identifiers.identifier_value
            from {sources.raw["customer_identifiers"]} as identifiers
            inner join {_truth(sources)} as truth on identifiers.customer_id = truth.customer_id
            where identifiers.identifier_type = 'device'
            group by all
            having count(distinct truth.person_id) >= 2
        )
        """
    )
    return f"{number(devices)} such devices in the demo"


def junk_identifiers(sources: Sources) -> str:
    """Accounts carrying the test card and the placeholder phone."""
    counts = dict(
        sources.rows(
            "select identifier_value, count(distinct customer_id) "
            f"from {sources.raw['customer_identifiers']} "
            "where identifier_value in ('tok_visa_4242424242424242', '+10000000000') group by all"
        )
    )
    card, phone = counts.get("tok_visa_4242424242424242", 0), counts.get("+10000000000", 0)
    return f"{number(card)} and {number(phone)} in the demo"


def bad_rows(sources: Sources) -> str:
    """Bad rows the same demo gets with --bad-row-rate 0.02 (generated into a temporary folder)."""
    from livewh.generate import GenerateConfig, generate

    settings = dict(_generation(sources.raw_dir)["config"])
    settings.pop("profile", None)
    settings["start_date"] = date.fromisoformat(settings["start_date"])
    settings["tables"] = tuple(settings["tables"]) if settings.get("tables") else None
    with tempfile.TemporaryDirectory() as folder:
        report = generate(
            GenerateConfig.for_profile(
                "demo", **{**settings, "bad_row_rate": BAD_ROW_RATE, "out": Path(folder), "progress": False}
            )
        )
        added = sum(report.bad_rows.values())
    return f"The demo with `--bad-row-rate {BAD_ROW_RATE}` adds {number(added)} bad rows"


def _rate(eligible_column: str, repurchased_column: str) -> str:
    return (
        f"sum(case when {eligible_column} and {repurchased_column} then 1 else 0 end) "
        f"/ nullif(sum(case when {eligible_column} then 1 else 0 end), 0)"
    )


def _by(sources: Sources, key: str, window: int = 180) -> list[tuple[Any, float | None, int, int]]:
    """(group, rate, eligible, buyers) of the window's repurchase rate by an expression."""
    eligible, repurchased = f"is_eligible_{window}d", f"has_repurchased_{window}d"
    return sources.rows(
        f"""
        select {key} as group_key, {_rate(eligible, repurchased)} as rate,
            sum(case when {eligible} then 1 else 0 end) as eligible, count(*) as buyers
        from main.fct_customer_repurchase group by all order by rate desc nulls last, group_key
        """
    )


def _listing(rows: list[tuple[Any, float | None, int, int]], counts: bool = True) -> str:
    """'a 49.8% (289), b ...': rate and eligible buyers of every group that has any."""
    return ", ".join(
        f"{key}: {percent(rate)}" + (f" ({number(eligible)})" if counts else "")
        for key, rate, eligible, _ in rows
        if eligible
    )


def _span(rows: list[tuple[Any, float | None, int, int]], keys: tuple[str, ...]) -> str:
    rates = [rate for key, rate, _, _ in rows if key in keys and rate is not None]
    return f"{percent(min(rates))}-{percent(max(rates))}" if rates else "n/a"


def planted_effects(sources: Sources) -> str:
    """The measured table of the planted effects, from the repurchase and live marts."""
    info = read_build_info(sources.connection)
    as_of = info.as_of_date.isoformat() if info and info.as_of_date else "n/a"
    (persons, buyers) = sources.one(
        "select count(*), sum(case when is_buyer then 1 else 0 end) from main.dim_customers"
    )
    rates = sources.one(
        "select "
        + ", ".join(_rate(f"is_eligible_{days}d", f"has_repurchased_{days}d") for days in (30, 90, 180))
        + ", sum(case when is_eligible_180d then 1 else 0 end) from main.fct_customer_repurchase"
    )
    channel = _by(sources, "acquisition_channel")
    category = _by(sources, "first_order_category")
    category_30 = _by(sources, "first_order_category", 30)
    interactions = _by(
        sources,
        "case when interactions_before_first_purchase > 5 then 'more than 5' "
        "when interactions_before_first_purchase >= 1 then '1-5' else 'none' end",
    )
    delivery = _by(
        sources,
        "case when first_order_delivery_days > 14 then 'more than 14 days' "
        "when first_order_delivery_days is not null then 'otherwise' else 'not delivered' end",
    )
    market = _by(sources, "market_country_code")
    market_rate = {key: rate for key, rate, _, _ in market}
    quality = sources.rows(
        """
        select coalesce(min(labels.band_label), impact.band) as band, min(impact.band_order) as band_order,
            sum(converted_viewer_sessions) / sum(viewer_sessions) as conversion_rate,
            sum(avg_watch_minutes * viewer_sessions) / sum(viewer_sessions) as avg_watch_minutes
        from main.rpt_stream_quality_impact as impact
        left join reference.latency_bands as labels on impact.band = labels.latency_band
        where impact.band_type = 'latency' and impact.band_order is not null
        group by impact.band order by band_order
        """
    )
    purchase_days = sources.one(
        """
        select avg(case when purchase_days = 1 then 1 else 0 end),
            avg(case when purchase_days = 2 then 1 else 0 end),
            avg(case when purchase_days >= 3 then 1 else 0 end),
            max(purchase_days)
        from main.fct_customer_repurchase
        """
    )
    electronics = next((rate for key, rate, _, _ in category_30 if key == "electronics"), None)
    others = tuple(key for key, _, _, _ in category_30 if key not in (*CONSUMABLES, "electronics"))
    band_names = ", ".join(str(band) for band, *_ in quality)
    lines = [
        wrap(
            "What the demo (seed 42) shows in the marts, per person (`customer_key`: accounts stitched as "
            "the marts stitch them), qualifying orders only, purchase days in the market's time zone, "
            f"observation end {as_of}, windows closed (eligible) only (`main.fct_customer_repurchase`, "
            "`main.rpt_stream_quality_impact`); in brackets the eligible buyers of the group:"
        ),
        "",
        "| measure | demo result |",
        "|---|---|",
        f"| buyers / persons | {number(buyers)} / {number(persons)} |",
        f"| repurchase within 30 / 90 / 180 days | {percent(rates[0])} / {percent(rates[1])} / "
        f"{percent(rates[2])} ({number(rates[3])} buyers eligible for 180) |",
        f"| 180-day rate by channel | {_listing(channel)} |",
        f"| 180-day rate by first category | {_listing(category, counts=False)} |",
        f"| 30-day rate by first category | consumables {_span(category_30, CONSUMABLES)}, electronics "
        f"{percent(electronics)}, others {_span(category_30, others)} |",
        f"| 180-day rate by interactions before the first order | {_listing(interactions)} |",
        f"| 180-day rate by first delivery | {_listing(delivery)} |",
        f"| 180-day rate by market | SEA {_span(market, SOUTH_EAST_ASIA)}; "
        f"BR {percent(market_rate.get('BR'))}, CO {percent(market_rate.get('CO'))} "
        "(high latency and slow delivery together) |",
        f"| live conversion (converted viewer-sessions / viewer-sessions) by the viewer-session's latency, "
        f"{band_names} | {', '.join(percent(conversion) for _, _, conversion, _ in quality)} |",
        f"| average watch per viewer-session (join to leave, or to the broadcast's end), same bands | "
        f"{', '.join(f'{minutes:.1f}' for *_, minutes in quality)} minutes |",
        f"| purchase days per buyer | one: {percent(purchase_days[0], 0)}, "
        f"two: {percent(purchase_days[1], 0)}, three or more: {percent(purchase_days[2], 0)} "
        f"(up to {number(purchase_days[3])}) |",
    ]
    channel_rate = {key: rate for key, rate, _, _ in channel}
    ratio = (channel_rate.get("live_stream") or 0) / (channel_rate.get("feed_ads") or float("nan"))
    interaction_rate = {key: rate for key, rate, _, _ in interactions}
    lines += [
        "",
        wrap(
            "Reading these against the parameters: the multipliers are conditional, the table's rates are "
            "marginal. live_stream people also watch more and so interact more, which is why the "
            f"live_stream / feed_ads ratio ({ratio:.1f}) is above the channel multipliers' 2.3; far markets "
            "combine bad latency with slow delivery. The interaction effect (planted 2x) shows as "
            f"{percent(interaction_rate.get('more than 5'))} against {percent(interaction_rate.get('1-5'))}."
        ),
    ]
    return "\n".join(lines)


def other_figures(sources: Sources) -> str:
    """Identity, anonymous viewing, multi-order days, free and refunded orders, deletion requests."""
    truth = _truth(sources)
    people, two, three_to_five = sources.one(
        f"select count(*), sum(case when accounts = 2 then 1 else 0 end), "
        f"sum(case when accounts between 3 and 5 then 1 else 0 end) "
        f"from (select person_id, count(*) as accounts from {truth} group by all)"
    )
    (stitched,) = sources.one(
        "select count(distinct customer_key) from main.rpt_identity_merges where accounts_in_person > 1"
    )
    never_logged_in, anonymous_first = sources.one(
        f"""
        with events as (
            select viewer_id, customer_id, try_cast(event_at as timestamptz) as event_at
            from {sources.raw["live_events"]}
        ),
        viewers as (
            select viewer_id,
                min(event_at) filter (where customer_id is null) as first_anonymous,
                min(event_at) filter (where customer_id is not null) as first_logged_in
            from events group by all
        )
        select sum(case when first_logged_in is null then 1 else 0 end),
            sum(case when first_anonymous < first_logged_in then 1 else 0 end)
        from viewers
        """
    )
    (busy_days,) = sources.one(
        "select count(*) from (select customer_key, order_date_local from main.fct_orders "
        "where is_qualifying group by all having count(*) >= 2)"
    )
    free, refunded, in_full, two_parts = sources.one(
        """
        select sum(case when gross_amount = 0 then 1 else 0 end),
            sum(case when refund_count > 0 then 1 else 0 end),
            sum(case when refund_count > 0 and refunded_amount >= gross_amount then 1 else 0 end),
            sum(case when refund_count = 2 then 1 else 0 end)
        from main.fct_orders
        """
    )
    requests, shared = sources.one(
        f"""
        with accounts as (select person_id, count(*) as accounts from {truth} group by all)
        select count(*), sum(case when accounts.accounts > 1 then 1 else 0 end)
        from {sources.raw["deletion_requests"]} as requests
        left join {truth} as truth on requests.customer_id = truth.customer_id
        left join accounts on truth.person_id = accounts.person_id
        """
    )
    return wrap(
        "Other figures a mart can be checked against: "
        f"{percent((two + three_to_five) / people)} of people have several accounts ({number(two)} with "
        f"two, {number(three_to_five)} with three to five in the generator's truth; the warehouse "
        f"stitches {number(stitched)} persons of several accounts, `main.rpt_identity_merges`); "
        f"{number(anonymous_first)} devices were watched anonymously before logging in, and "
        f"{number(never_logged_in)} viewers never log in; {number(busy_days)} person-days have two or "
        f"more qualifying orders; {number(free)} free orders; {number(refunded)} refunded orders, "
        f"{number(in_full)} of them in full (refunds adding up to at least the order total: not "
        f"qualifying), {number(two_parts)} in two parts (`main.fct_orders`, erased accounts' orders not "
        f"included); {number(requests)} deletion requests, {number(shared)} of them for one of a "
        "person's several accounts (the others stay)."
    )


BLOCKS: dict[str, Callable[[Sources], str]] = {
    "sizes": sizes,
    "broadcasts": broadcasts,
    "latency-medians": latency_medians,
    "orders": orders,
    "several-accounts": several_accounts,
    "family-devices": family_devices,
    "junk-identifiers": junk_identifiers,
    "bad-rows": bad_rows,
    "planted-effects": planted_effects,
    "other-figures": other_figures,
}


# --- measuring and rewriting the page --------------------------------------------------------


def _generation(raw_dir: Path) -> dict[str, Any]:
    path = raw_dir / GENERATION_FILE
    if not path.is_file():
        raise LivewhError(
            f"'{display(raw_dir)}' has no {GENERATION_FILE}: it was not written by `livewh generate`."
        )
    return json.loads(path.read_text(encoding="utf-8"))


def measure(db_path: Path, raw_dir: Path) -> dict[str, str]:
    """Every block's text, measured from the warehouse and the raw folder."""
    report = check_raw_folder(raw_dir)
    if not (raw_dir / TRUTH_FILE).is_file():
        raise LivewhError(f"'{display(raw_dir)}' has no {TRUTH_FILE}: point --raw-dir at the generated demo.")
    _generation(raw_dir)
    raw = {raw_file.table: reader_sql(raw_file.path, raw_file.file_format) for raw_file in report.files}
    with connect_read_only(db_path) as connection:
        connection.execute("set TimeZone = 'UTC'")
        sources = Sources(connection, raw_dir, raw)
        return {name: block(sources) for name, block in BLOCKS.items()}


def render(page: str, blocks: dict[str, str]) -> str:
    """The page with every marked block replaced; every block must be marked exactly once."""
    found = [match.group("name") for match in BLOCK.finditer(page)]
    missing = sorted(set(blocks) - set(found))
    unknown = sorted(set(found) - set(blocks))
    repeated = sorted({name for name in found if found.count(name) > 1})
    if missing or unknown or repeated:
        raise LivewhError(
            "the page's measured blocks do not match livewh demo-doc's: "
            f"missing {missing or 'none'}, unknown {unknown or 'none'}, repeated {repeated or 'none'}."
        )

    def replace(match: re.Match[str]) -> str:
        name, body = match.group("name"), match.group("body")
        text = blocks[name]
        # a block on its own lines keeps its line breaks; an inline block stays inline
        if body.startswith("\n"):
            text = f"\n{text}\n"
        return f"<!-- measured:{name} -->{text}<!-- /measured:{name} -->"

    return BLOCK.sub(replace, page)


def update_page(db_path: Path, raw_dir: Path, page_path: Path, check: bool) -> tuple[bool, str]:
    """Rewrite (or with ``check`` only compare) the page; (is current, unified diff)."""
    page = page_path.read_text(encoding="utf-8")
    rendered = render(page, measure(db_path, raw_dir))
    diff = "".join(
        difflib.unified_diff(
            page.splitlines(keepends=True),
            rendered.splitlines(keepends=True),
            fromfile=f"{page_path.name} (now)",
            tofile=f"{page_path.name} (measured)",
        )
    )
    if not check and rendered != page:
        page_path.write_text(rendered, encoding="utf-8")
    return rendered == page, diff
