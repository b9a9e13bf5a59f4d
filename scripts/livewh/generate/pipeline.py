"""Putting it together: the shared world, then accounts chunk by chunk, streamed to the files."""

from __future__ import annotations

import csv
import json
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from livewh import __version__
from livewh.generate import bad_rows, campaigns, live, orders, orders_shop, people
from livewh.generate.catalog import Catalog, make_catalog
from livewh.generate.config import GenerateConfig, stream
from livewh.generate.markets import ChannelSpellings, LanguageTags, Markets, load_markets
from livewh.generate.money import FxTable
from livewh.generate.tables import CONTRACT, CONTRACT_TABLES, Column, Frame, TableSpec, Text, frame_rows
from livewh.generate.writer import CsvFormatter, TableWriter

TRUTH_FILE = "_truth_persons.csv"
BAD_ROWS_FILE = "_bad_rows.csv"
GENERATION_FILE = "_generation.json"
TRUTH_SPEC = TableSpec("_truth_persons", (Column("customer_id", "string"), Column("person_id", "string")))
CHUNK_TABLES = (
    "customers",
    "customer_identifiers",
    "orders",
    "order_items",
    "refunds",
    "live_events",
    "stream_quality",
    "deletion_requests",
    "campaign_messages",
    "memberships",
)


class GenerationReport(dict[str, int]):
    """Rows written per table (bad rows included), with the paths and the bad-row counts."""

    def __init__(
        self,
        rows: dict[str, int],
        bad_rows: dict[str, int],
        paths: dict[str, Path],
        out: Path,
        seconds: float,
    ):
        super().__init__(rows)
        self.rows = dict(rows)
        self.bad_rows = bad_rows
        self.paths = paths
        self.out = out
        self.seconds = seconds


@dataclass(frozen=True)
class World:
    """What every chunk shares: markets, catalogue, broadcasts, FX."""

    markets: Markets
    tags: LanguageTags
    spellings: ChannelSpellings
    fx_table: FxTable
    catalog: Catalog
    sessions: live.Sessions
    campaigns: campaigns.CampaignPlan


@dataclass
class Counters:
    """Running numbers behind order, refund and event ids (bad rows draw from them too)."""

    order: int = 0
    refund: int = 0
    event: int = 0
    message: int = 0

    def orders(self, n: int) -> np.ndarray:
        self.order += n
        return np.arange(self.order - n, self.order)

    def refunds(self, n: int) -> np.ndarray:
        self.refund += n
        return np.arange(self.refund - n, self.refund)

    def events(self, n: int) -> np.ndarray:
        self.event += n
        return np.arange(self.event - n, self.event)

    def messages(self, n: int) -> np.ndarray:
        self.message += n
        return np.arange(self.message - n, self.message)


class Progress:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.perf_counter()

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def __call__(self, message: str) -> None:
        if self.enabled:
            print(f"generate: {message} ({self.elapsed:.1f}s)", file=sys.stderr, flush=True)


def build_world(config: GenerateConfig) -> World:
    markets = load_markets(config.first_day, config.end_day, codes=config.markets)
    tags = LanguageTags.build(markets)
    hosts = live.make_hosts(config, markets, stream(config.seed, "hosts"))
    sessions = live.make_sessions(config, markets, hosts, tags, stream(config.seed, "sessions"))
    return World(
        markets=markets,
        tags=tags,
        spellings=ChannelSpellings.build(),
        fx_table=FxTable.build(markets.currencies, config.first_day, config.end_day),
        catalog=make_catalog(config.products, stream(config.seed, "catalog")),
        sessions=sessions,
        campaigns=campaigns.make_plan(config, markets, sessions),
    )


def simulate_chunk(
    config: GenerateConfig,
    world: World,
    chunk: int,
    person_offset: int,
    account_offset: int,
    n_accounts: int,
    counters: Counters,
) -> tuple[dict[str, Frame], Frame, int]:
    """All tables of one chunk of accounts; returns (frames, truth, people in the chunk)."""
    seed, markets, sessions, catalog = config.seed, world.markets, world.sessions, world.catalog
    crowd = people.make_people(
        config,
        markets,
        sessions.signup_finder(),
        chunk,
        person_offset,
        account_offset,
        n_accounts,
        stream(seed, "people", chunk),
    )
    audience = live.make_audience(config, markets, crowd, account_offset, stream(seed, "audience", chunk))
    visit_rng = stream(seed, "visits", chunk)
    first = orders.plan_first_purchases(
        config, markets, sessions, crowd, audience, catalog, stream(seed, "first", chunk)
    )
    early_visits = live.Attendances.concat(
        [
            live.background_visits(config, markets, sessions, crowd, audience, visit_rng),
            live.signup_visits(markets, sessions, crowd, audience, visit_rng),
            first.failed_visits,
            first.visits,
        ]
    )
    event_rng = stream(seed, "events", chunk)
    early_events = live.make_events(
        early_visits, sessions, markets, audience, crowd, catalog, world.fx_table, event_rng
    )
    first_at = np.where(first.buyer, first.at, config.end_ts)
    interactions = live.interactions_before(early_events, early_visits, first_at, crowd.n_people)
    latency = live.median_latency_before(early_visits, first_at, crowd.n_people)
    probability = orders.repeat_probability(crowd, first, interactions, latency)
    chain, repeat_visits = orders.plan_chain(
        config, markets, sessions, crowd, audience, catalog, first, probability, stream(seed, "chain", chunk)
    )
    late_events = live.make_events(
        repeat_visits,
        sessions,
        markets,
        audience,
        crowd,
        catalog,
        world.fx_table,
        event_rng,
        visit_offset=len(early_visits),
    )
    visits = live.Attendances.concat([early_visits, repeat_visits])
    events = live.Events.concat([early_events, late_events])
    extras = orders.plan_extras(
        config, markets, crowd, catalog, chain, first.at, stream(seed, "extras", chunk)
    )
    planned = orders.PlannedOrders.concat([chain, extras])
    order_rng = stream(seed, "orders", chunk)
    tables = orders.order_tables(
        config,
        markets,
        catalog,
        world.fx_table,
        sessions,
        crowd,
        planned,
        counters.order,
        counters.refund,
        order_rng,
    )
    counters.orders(frame_rows(tables.orders))
    counters.refunds(tables.n_refunds)

    identity_rng = stream(seed, "identity", chunk)
    junk_card, junk_phone = people.junk_accounts(crowd, identity_rng)
    people.apply_junk_phone(crowd, junk_phone, identity_rng)
    logged_in = events.account >= 0
    n_devices = len(audience.viewer_id)
    pairs = np.unique(events.account[logged_in] * n_devices + visits.device[events.visit[logged_in]])
    devices = people.DeviceUse(pairs // n_devices, pairs % n_devices, audience.viewer_id)
    frames: dict[str, Frame] = {
        "customers": people.customers_frame(crowd, markets, world.tags, world.spellings, identity_rng),
        "customer_identifiers": people.identifiers_frame(
            config, crowd, markets, tables.account_bought, devices, junk_card, junk_phone, identity_rng
        ),
        "orders": tables.orders,
        "order_items": tables.items,
        "refunds": tables.refunds,
        "live_events": live.events_frame(
            events, visits, sessions, audience, crowd, catalog, markets, counters.event
        ),
        "stream_quality": live.viewer_quality_frame(
            visits, sessions, audience, markets, stream(seed, "quality", chunk)
        ),
        "deletion_requests": people.deletion_frame(config, crowd, chunk == 0, identity_rng),
    }
    counters.events(len(events.at))
    # campaigns and memberships read what was simulated above and draw from their own streams only
    spells = campaigns.make_memberships(config, crowd, planned, stream(seed, "memberships", chunk))
    frames["memberships"] = campaigns.memberships_frame(crowd, spells)
    frames["campaign_messages"] = campaigns.make_messages(
        config,
        markets,
        sessions,
        world.campaigns,
        crowd,
        planned,
        visits,
        spells,
        counters.message,
        stream(seed, "campaign-messages", chunk),
    )
    counters.messages(frame_rows(frames["campaign_messages"]))
    return frames, people.truth_frame(crowd), crowd.n_people


def erased_rows(frames: dict[str, Frame]) -> dict[str, np.ndarray]:
    """Rows the warehouse erases (accounts with a deletion request, their orders, devices and samples).

    Bad rows are never copied from these: an erased row is reported as erased, not with its defect.
    """

    def codes(table: str, column: str) -> np.ndarray:
        text = frames[table][column]
        assert isinstance(text, Text)
        return text.codes

    erased_accounts = codes("deletion_requests", "customer_id")
    order_erased = np.isin(codes("orders", "customer_id"), erased_accounts)
    event_accounts = codes("live_events", "customer_id")
    event_viewers = codes("live_events", "viewer_id")
    erased_viewers = np.unique(event_viewers[np.isin(event_accounts, erased_accounts)])
    sample_viewers = codes("stream_quality", "viewer_id")
    return {
        "customers": np.isin(codes("customers", "customer_id"), erased_accounts),
        "customer_identifiers": np.isin(codes("customer_identifiers", "customer_id"), erased_accounts),
        "orders": order_erased,
        "order_items": order_erased[codes("order_items", "order_id")],
        "refunds": order_erased[codes("refunds", "order_id")],
        "live_events": np.isin(event_accounts, erased_accounts) | np.isin(event_viewers, erased_viewers),
        "stream_quality": (sample_viewers >= 0) & np.isin(sample_viewers, erased_viewers),
        "deletion_requests": np.zeros(len(erased_accounts), dtype=bool),
        "campaign_messages": np.isin(codes("campaign_messages", "customer_id"), erased_accounts),
        "memberships": np.isin(codes("memberships", "customer_id"), erased_accounts),
    }


class Output:
    """Writers for the wanted tables, bad-row injection for all (so ids never depend on --tables)."""

    def __init__(self, config: GenerateConfig, out: Path, world: World, counters: Counters) -> None:
        self.config = config
        self.out = out
        self.formatter = CsvFormatter(world.markets.offsets)
        self.writers: dict[str, TableWriter] = {}
        self.manifest: list[tuple[str, int, str]] = []
        self.chunks: dict[str, int] = {}
        keys = bad_rows.KeySpace(
            next_customer=config.customers,
            next_order=counters.orders,
            next_refund=counters.refunds,
            next_event=counters.events,
            next_session=len(world.sessions) + 1,
            next_fx_day=config.first_day - 7,
            next_campaign=len(world.campaigns),
            next_message=counters.messages,
        )
        self.bad = bad_rows.BadRowMaker(config, keys)
        # one background thread writes (arrow and parquet release the GIL) while the next chunk is simulated
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="livewh-writer")
        self.pending: list[Future[None]] = []

    def flush(self) -> None:
        """Wait for every submitted write (re-raising its error)."""
        pending, self.pending = self.pending, []
        for future in pending:
            future.result()

    def write(self, table: str, frame: Frame, erased: np.ndarray | None = None) -> None:
        chunk = self.chunks.get(table, 0)
        self.chunks[table] = chunk + 1
        injection = self.bad.inject(table, frame, stream(self.config.seed, f"bad:{table}", chunk), erased)
        if not self.config.wants(table):
            return
        writer = self.writers.get(table)
        if writer is None:
            path = self.out / f"{table}.{self.config.format}"
            writer = self.writers[table] = TableWriter(
                path, CONTRACT[table], self.config.format, self.formatter
            )
        offset = writer.rows
        writer.rows += frame_rows(injection.frame)
        style = stream(self.config.seed, f"style:{table}", chunk)
        self.pending.append(self.pool.submit(writer.write, injection.frame, injection.raw, style))
        self.manifest.extend(
            (table, offset + int(position) + 1, reason)
            for position, reason in zip(injection.positions, injection.reasons, strict=True)
        )

    def open_all(self, tables: tuple[str, ...]) -> None:
        """Make sure every wanted table gets a file, even an empty one."""
        for table in tables:
            if self.config.wants(table) and table not in self.writers:
                self.writers[table] = TableWriter(
                    self.out / f"{table}.{self.config.format}",
                    CONTRACT[table],
                    self.config.format,
                    self.formatter,
                )

    def close(self) -> dict[str, int]:
        self.flush()
        self.pool.shutdown()
        for writer in self.writers.values():
            writer.close()
        return {table: writer.rows for table, writer in self.writers.items()}


def prepare_folder(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for table in CONTRACT_TABLES:
        for suffix in ("csv", "parquet"):
            (out / f"{table}.{suffix}").unlink(missing_ok=True)
    for name in (TRUTH_FILE, BAD_ROWS_FILE, GENERATION_FILE):
        (out / name).unlink(missing_ok=True)


def generate(config: GenerateConfig) -> GenerationReport:
    """Write the raw contract files for ``config`` and return what was written."""
    progress = Progress(config.progress)
    world = build_world(config)
    progress(f"world: {len(world.sessions):,} live sessions, {len(world.catalog):,} products")
    out = Path(config.out)
    prepare_folder(out)
    counters = Counters()
    output = Output(config, out, world, counters)
    live_shop = config.shop == "live"
    if live_shop:
        output.write("products", world.catalog.frame())
        output.write("live_sessions", world.sessions.frame(world.markets, world.tags))
        output.write("campaigns", world.campaigns.frame(world.markets, world.sessions))
        output.write(
            "stream_quality",
            live.session_quality_frame(world.sessions, world.markets, stream(config.seed, "session-quality")),
        )
    truth = TableWriter(out / TRUTH_FILE, TRUTH_SPEC, "csv", output.formatter)
    person_offset = 0
    chunk_starts = range(0, config.customers, config.chunk_size)
    for chunk, account_offset in enumerate(chunk_starts):
        n_accounts = min(config.chunk_size, config.customers - account_offset)
        if live_shop:
            frames, truth_rows, n_people = simulate_chunk(
                config, world, chunk, person_offset, account_offset, n_accounts, counters
            )
            erased = erased_rows(frames)
        else:
            frames, truth_rows, n_people = orders_shop.simulate_chunk(
                config,
                world,
                chunk,
                person_offset,
                account_offset,
                n_accounts,
                counters.order,
                counters.refund,
            )
            counters.orders(frame_rows(frames["orders"]))
            counters.refunds(frame_rows(frames["refunds"]))
            erased = {table: np.zeros(frame_rows(frame), dtype=bool) for table, frame in frames.items()}
        person_offset += n_people
        output.flush()  # the previous chunk is on disk: at most two chunks in memory
        for table in CHUNK_TABLES if live_shop else tuple(frames):
            output.write(table, frames[table], erased[table])
        truth.write(truth_rows, {}, stream(config.seed, "truth", chunk))
        counts = ", ".join(
            f"{table} {frame_rows(frames[table]):,}"
            for table in ("customers", "orders", "live_events")
            if table in frames
        )
        progress(f"chunk {chunk + 1}/{len(chunk_starts)}: {counts}")

    # Every shop ships its own rates (its raw data, like a real shop's file): never the
    # warehouse's default ECB rates, so demo figures never depend on them.
    output.write("fx_rates", fx_frame(config, world))
    output.open_all(config.shop_tables)
    rows = output.close()
    truth.close()
    write_helpers(config, out, rows, output.manifest, config.wants("fx_rates"))
    for table, count in rows.items():
        progress(f"{table}: {count:,} rows")
    paths = {table: out / f"{table}.{config.format}" for table in rows}
    bad_counts = {table: sum(1 for t, _, _ in output.manifest if t == table) for table in rows}
    return GenerationReport(rows, bad_counts, paths, out, progress.elapsed)


def fx_frame(config: GenerateConfig, world: World) -> Frame:
    table = world.fx_table
    days = np.arange(config.first_day - 7, config.end_day)
    currency = np.tile(np.arange(len(table.currencies)), len(days))
    day = np.repeat(days, len(table.currencies))
    return {
        "rate_date": day.astype(np.int64),
        "currency": Text.pick(table.currencies, currency),
        "usd_per_unit": table.rate(currency, day),
    }


def write_helpers(
    config: GenerateConfig,
    out: Path,
    rows: dict[str, int],
    manifest: list[tuple[str, int, str]],
    fx_written: bool,
) -> None:
    with (out / BAD_ROWS_FILE).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["table", "row_number", "reason"])
        writer.writerows(sorted(manifest))
    summary = {
        "generator": "livewh.generate",
        "version": __version__,
        "config": config.describe(),
        "fx_rates_written": fx_written,
        "rows": rows,
        "bad_rows": {table: sum(1 for t, _, _ in manifest if t == table) for table in rows},
        "files": sorted([f"{table}.{config.format}" for table in rows] + [TRUTH_FILE, BAD_ROWS_FILE]),
    }
    (out / GENERATION_FILE).write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
