"""Tests of the demo raw-data generator (livewh.generate), including the demo's own FX rates."""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from livewh.generate import CONTRACT, CONTRACT_TABLES, GenerateConfig, fx_path, generate, register
from livewh.generate.bad_rows import CSV_ONLY, REASONS

SMALL = {"customers": 1_500, "days": 240, "hosts": 8, "products": 60, "chunk_size": 700, "progress": False}
CHANNEL_MAP = Path(__file__).resolve().parents[2] / "seeds" / "acquisition_channel_map.csv"
KNOWN_CURRENCIES = set(fx_path.CURRENCY_PATHS)
#: The demo's own fx_rates file starts a week before the period (2025-01-01 in these tests).
FIRST_RATE_DAY = date(2025, 1, 1) - timedelta(days=7)
NUMERIC = {"money", "integer", "number"}
BOOLEAN_SPELLINGS = {"true", "false", "1", "0", "yes", "no", "t", "f", "y", "n"}
CAMPAIGN_CHANNELS = {"push", "email", "sms", "in_app", "live_reminder"}
CAMPAIGN_OBJECTIVES = {"win_back", "reactivation", "cross_sell", "live_reminder", "member_offer", "other"}


def read_table(folder: Path, table: str) -> tuple[list[str], list[dict[str, str]]]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def make(folder: Path, **options: object) -> Path:
    settings = {**SMALL, **options}
    generate(GenerateConfig(out=folder, **settings))  # type: ignore[arg-type]
    return folder


def parse_time(value: str) -> datetime:
    """ISO 8601 as the contract reads it: with an offset or Z as given, without one as UTC."""
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@pytest.fixture(scope="module")
def clean_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make(tmp_path_factory.mktemp("clean"))


@pytest.fixture(scope="module")
def bad_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make(tmp_path_factory.mktemp("bad"), bad_row_rate=0.03)


@pytest.fixture(scope="module")
def demo_sized(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make(
        tmp_path_factory.mktemp("demo"), customers=6_000, days=420, hosts=20, products=200, chunk_size=50_000
    )


# --- determinism and options -----------------------------------------------------------------------
def test_same_seed_gives_identical_bytes_and_other_seed_differs(tmp_path: Path) -> None:
    first = make(tmp_path / "a", bad_row_rate=0.02)
    second = make(tmp_path / "b", bad_row_rate=0.02)
    other = make(tmp_path / "c", bad_row_rate=0.02, seed=7)
    names = sorted(path.name for path in first.iterdir())
    assert names == sorted(path.name for path in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert (first / "orders.csv").read_bytes() != (other / "orders.csv").read_bytes()
    assert (first / "live_events.csv").read_bytes() != (other / "live_events.csv").read_bytes()


def test_sizes_period_and_files(clean_csv: Path) -> None:
    files = {path.name for path in clean_csv.iterdir()}
    expected = {f"{table}.csv" for table in CONTRACT_TABLES}
    assert files == expected | {"_truth_persons.csv", "_bad_rows.csv", "_generation.json"}
    _, customers = read_table(clean_csv, "customers")
    assert len(customers) == SMALL["customers"]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    end = start + timedelta(days=SMALL["days"])
    for table, column in (
        ("orders", "ordered_at"),
        ("live_events", "event_at"),
        ("live_sessions", "started_at"),
    ):
        _, rows = read_table(clean_csv, table)
        assert rows, table
        assert all(start <= parse_time(row[column]) < end for row in rows), table
    summary = json.loads((clean_csv / "_generation.json").read_text())
    assert summary["rows"]["customers"] == SMALL["customers"]
    assert summary["fx_rates_written"] is True


def test_start_date_days_and_the_shops_own_fx_rates(tmp_path: Path) -> None:
    folder = make(
        tmp_path / "future", customers=300, days=30, start_date=date(2030, 3, 1), hosts=3, products=20
    )
    _, orders = read_table(folder, "orders")
    assert orders and all(
        datetime(2030, 3, 1, tzinfo=UTC) <= parse_time(row["ordered_at"]) < datetime(2030, 3, 31, tzinfo=UTC)
        for row in orders
    )
    header, rates = read_table(folder, "fx_rates")  # the demo shop always ships its own rates
    assert header == list(CONTRACT["fx_rates"].column_names)
    assert {row["currency"] for row in orders} <= {row["currency"] for row in rates}
    assert min(row["rate_date"] for row in rates) == "2030-02-22"  # a week before the first order day
    assert max(row["rate_date"] for row in rates) == "2030-03-30"  # the last day of the period
    # every (currency, day) of the period has exactly one rate: the file is complete on its own
    days = {row["rate_date"] for row in rates}
    assert len(days) == 37 and len(rates) == 37 * len({row["currency"] for row in rates})


def test_parquet_has_contract_columns_and_typed_timestamps(tmp_path: Path) -> None:
    folder = make(tmp_path / "pq", customers=400, days=60, format="parquet", bad_row_rate=0.02)
    for table in CONTRACT_TABLES:
        schema = pq.read_schema(folder / f"{table}.parquet")
        assert schema.names == list(CONTRACT[table].column_names), table
    assert str(pq.read_schema(folder / "orders.parquet").field("ordered_at").type) == "timestamp[ms, tz=UTC]"
    assert str(pq.read_schema(folder / "orders.parquet").field("customer_id").type) == "string"
    with (folder / "_bad_rows.csv").open() as handle:
        reasons = {row["reason"] for row in csv.DictReader(handle)}
    assert reasons and not reasons & CSV_ONLY


def test_tables_option_writes_only_those_and_the_same_content(tmp_path: Path, clean_csv: Path) -> None:
    folder = make(tmp_path / "subset", tables=("customers", "orders"))
    contract_files = {p.name for p in folder.iterdir() if not p.name.startswith("_")}
    assert contract_files == {"customers.csv", "orders.csv"}
    for name in contract_files:
        assert (folder / name).read_bytes() == (clean_csv / name).read_bytes()


def test_folder_is_wiped_of_previous_contract_files(tmp_path: Path) -> None:
    folder = tmp_path / "wipe"
    folder.mkdir()
    (folder / "orders.parquet").write_text("old")
    (folder / "notes.txt").write_text("keep me")
    make(folder, customers=200, days=30, hosts=2, products=20, tables=("customers",))
    assert not (folder / "orders.parquet").exists()
    assert (folder / "notes.txt").exists()


def test_cli_registers_generate(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser(prog="livewh")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        [
            "generate",
            "--out",
            str(tmp_path / "cli"),
            "--customers",
            "300",
            "--days",
            "30",
            "--seed",
            "3",
            "--tables",
            "customers,orders",
            "--hosts",
            "2",
            "--products",
            "20",
            "--quiet",
        ]
    )
    assert args.func(args) == 0
    _, customers = read_table(tmp_path / "cli", "customers")
    assert len(customers) == 300
    with pytest.raises(SystemExit):
        parser.parse_args(["generate", "--tables", "customers,nope"])
    defaults = parser.parse_args(["generate", "--profile", "large"])
    assert defaults.format is None and defaults.customers is None  # the profile decides


def test_profiles_set_defaults_and_options_override() -> None:
    large = GenerateConfig.for_profile("large")
    assert (large.customers, large.format, str(large.out)) == (1_000_000, "parquet", "data/large")
    demo = GenerateConfig.for_profile("demo", customers=10, format="parquet")
    assert (demo.customers, demo.days, demo.format, str(demo.out)) == (10, 540, "parquet", "data/demo")
    with pytest.raises(ValueError):
        GenerateConfig.for_profile("demo", tables=("orders", "bogus"))


# --- contract and integrity ------------------------------------------------------------------------
def test_every_table_has_exactly_the_contract_columns(clean_csv: Path) -> None:
    for table in CONTRACT_TABLES:
        header, _ = read_table(clean_csv, table)
        assert header == list(CONTRACT[table].column_names), table


def test_clean_data_is_referentially_intact(clean_csv: Path) -> None:
    tables = {table: read_table(clean_csv, table)[1] for table in CONTRACT_TABLES if table != "fx_rates"}
    keys = {
        table: {row[CONTRACT[table].key[0]] for row in tables[table]}
        for table in ("customers", "products", "orders", "live_sessions", "campaigns")
    }
    for table in (
        "customers",
        "products",
        "orders",
        "refunds",
        "live_sessions",
        "live_events",
        "campaigns",
        "campaign_messages",
    ):
        key = CONTRACT[table].key[0]
        assert len({row[key] for row in tables[table]}) == len(tables[table]), table
    assert len({(row["order_id"], row["line_number"]) for row in tables["order_items"]}) == len(
        tables["order_items"]
    )
    for table, column, target in (
        ("orders", "customer_id", "customers"),
        ("orders", "live_session_id", "live_sessions"),
        ("order_items", "order_id", "orders"),
        ("order_items", "product_id", "products"),
        ("refunds", "order_id", "orders"),
        ("live_events", "session_id", "live_sessions"),
        ("live_events", "customer_id", "customers"),
        ("live_events", "product_id", "products"),
        ("stream_quality", "session_id", "live_sessions"),
        ("customer_identifiers", "customer_id", "customers"),
        ("deletion_requests", "customer_id", "customers"),
        ("campaigns", "session_id", "live_sessions"),
        ("campaign_messages", "campaign_id", "campaigns"),
        ("campaign_messages", "customer_id", "customers"),
        ("memberships", "customer_id", "customers"),
    ):
        values = {row[column] for row in tables[table] if row[column]}
        assert values <= keys[target], (table, column)
    for message in tables["campaign_messages"]:
        sent = parse_time(message["sent_at"])
        follow = [
            parse_time(message[name]) for name in ("delivered_at", "opened_at", "clicked_at") if message[name]
        ]
        assert all(at >= sent for at in follow), message
        assert message["is_control"] in ("true", "false")
        assert message["is_control"] == "false" or not follow, message
    spells = {(row["customer_id"], parse_time(row["started_at"])) for row in tables["memberships"]}
    assert len(spells) == len(tables["memberships"])
    for spell in tables["memberships"]:
        assert not spell["ended_at"] or parse_time(spell["ended_at"]) >= parse_time(spell["started_at"])
        assert int(spell["points_balance"]) >= 0

    items_total: dict[str, float] = defaultdict(float)
    for item in tables["order_items"]:
        assert int(item["quantity"]) >= 1
        items_total[item["order_id"]] += int(item["quantity"]) * float(item["unit_price"])
    refunded: dict[str, float] = defaultdict(float)
    orders = {row["order_id"]: row for row in tables["orders"]}
    for refund in tables["refunds"]:
        assert float(refund["amount"]) > 0
        assert parse_time(refund["refunded_at"]) > parse_time(orders[refund["order_id"]]["ordered_at"])
        refunded[refund["order_id"]] += float(refund["amount"])
    for order in tables["orders"]:
        assert float(order["order_total"]) == pytest.approx(items_total[order["order_id"]], abs=0.005)
        assert refunded[order["order_id"]] <= float(order["order_total"]) + 0.005
        if order["delivered_at"]:
            days = (parse_time(order["delivered_at"]) - parse_time(order["ordered_at"])).days
            assert 2 <= days <= 25
    for session in tables["live_sessions"]:
        minutes = (parse_time(session["ended_at"]) - parse_time(session["started_at"])).total_seconds() / 60
        assert 45 <= minutes <= 180
    _, truth = read_table(clean_csv, "_truth_persons")
    assert {row["customer_id"] for row in truth} == keys["customers"]


def test_live_orders_come_from_sessions_the_buyer_watched(clean_csv: Path) -> None:
    _, orders = read_table(clean_csv, "orders")
    _, events = read_table(clean_csv, "live_events")
    _, sessions = read_table(clean_csv, "live_sessions")
    started = {row["session_id"]: parse_time(row["started_at"]) for row in sessions}
    watched = {(row["session_id"], row["viewer_id"]) for row in events}
    logged = {(row["session_id"], row["customer_id"]) for row in events if row["customer_id"]}
    live = [row for row in orders if row["sales_channel"] == "live"]
    assert len(live) > 0.25 * len(orders)  # few hosts here; the demo-sized data has about half
    assert all(row["live_session_id"] for row in live)
    assert all(
        timedelta(0) < parse_time(row["ordered_at"]) - started[row["live_session_id"]] < timedelta(days=6)
        for row in live
    )
    assert sum((row["live_session_id"], row["customer_id"]) in logged for row in live) >= 0.95 * len(live)
    assert watched


def test_identity_structure_and_truth(clean_csv: Path) -> None:
    _, truth = read_table(clean_csv, "_truth_persons")
    person_of = {row["customer_id"]: row["person_id"] for row in truth}
    accounts_per_person = Counter(person_of.values())
    multi = sum(count > 1 for count in accounts_per_person.values()) / len(accounts_per_person)
    assert 0.03 <= multi <= 0.10
    assert max(accounts_per_person.values()) >= 3
    _, identifiers = read_table(clean_csv, "customer_identifiers")
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in identifiers:
        holders[(row["identifier_type"], row["identifier_value"])].add(row["customer_id"])
    junk = [key for key, accounts in holders.items() if len(accounts) >= 25]
    assert {kind for kind, _ in junk} == {"payment", "phone"}
    for key in junk:
        assert len({person_of[a] for a in holders[key]}) >= 25  # unrelated people
    shared_devices = [
        a for (kind, _), a in holders.items() if kind == "device" and len({person_of[x] for x in a}) > 1
    ]
    assert shared_devices and all(len({person_of[x] for x in a}) <= 4 for a in shared_devices)
    linking = [a for (kind, _), a in holders.items() if kind != "device" and 1 < len(a) < 25]
    assert linking and all(len({person_of[x] for x in a}) == 1 for a in linking)


def test_spellings_vary_like_real_exports(clean_csv: Path) -> None:
    _, customers = read_table(clean_csv, "customers")
    _, orders = read_table(clean_csv, "orders")
    stamps = [row["ordered_at"] for row in orders]
    assert any(s.endswith("Z") for s in stamps) and any(s[-6] in "+-" for s in stamps)
    assert any(len(s) == 19 for s in stamps)  # no offset: UTC
    with CHANNEL_MAP.open() as handle:
        mapped = {row["raw_value"] for row in csv.DictReader(handle)}
    channels = [row["acquisition_channel"] for row in customers]
    assert {c.strip().lower() for c in channels if c} <= mapped | {"billboard"}
    assert "" in channels and "billboard" in channels and any(c != c.strip() for c in channels)
    assert any(c != c.lower() for c in channels)
    emails = [row["email"] for row in customers if row["email"]]
    assert all(
        e.strip().lower().rsplit("@", 1)[1] in {"example.com", "example.org", "example.net"} for e in emails
    )
    assert any(e != e.strip() for e in emails) and any(e != e.lower() for e in emails)
    phones = [row["phone"] for row in customers if row["phone"]]
    assert (
        any(p.startswith("00") for p in phones)
        and any(" " in p for p in phones)
        and any("-" in p for p in phones)
    )
    codes = {row["country_code"] for row in customers}
    assert "" in codes and any(c.islower() for c in codes)
    languages = {row["language"] for row in customers}
    assert {"en", "pt-BR"} <= languages and any(tag.isupper() for tag in languages)


def test_an_erasure_can_leave_the_persons_other_account(clean_csv: Path) -> None:
    _, truth = read_table(clean_csv, "_truth_persons")
    _, deletions = read_table(clean_csv, "deletion_requests")
    person_of = {row["customer_id"]: row["person_id"] for row in truth}
    accounts_of: dict[str, set[str]] = defaultdict(set)
    for customer, person in person_of.items():
        accounts_of[person].add(customer)
    requested = {row["customer_id"] for row in deletions}
    assert requested
    assert any(
        not accounts_of[person_of[c]] <= requested for c in requested if len(accounts_of[person_of[c]]) > 1
    )


def test_viewers_watch_anonymously_then_log_in_later(clean_csv: Path) -> None:
    _, events = read_table(clean_csv, "live_events")
    first_anonymous: dict[str, tuple[datetime, str]] = {}
    later_logged_in: set[str] = set()
    for row in sorted(events, key=lambda r: parse_time(r["event_at"])):
        viewer = row["viewer_id"]
        if not row["customer_id"]:
            first_anonymous.setdefault(viewer, (parse_time(row["event_at"]), row["session_id"]))
        elif viewer in first_anonymous and first_anonymous[viewer][1] != row["session_id"]:
            later_logged_in.add(viewer)
    assert len(later_logged_in) >= 20
    assert len(first_anonymous) > len(later_logged_in)  # many viewers never log in


def test_bad_latency_shortens_watching_and_lowers_conversion(demo_sized: Path) -> None:
    _, samples = read_table(demo_sized, "stream_quality")
    _, events = read_table(demo_sized, "live_events")
    _, orders = read_table(demo_sized, "orders")
    latencies: dict[str, list[int]] = defaultdict(list)
    for row in samples:
        if not row["viewer_id"]:
            latencies[row["session_id"]].append(int(row["latency_ms"]))
    bad = {session for session, values in latencies.items() if np.median(values) >= 1000}
    good = {session for session, values in latencies.items() if np.median(values) < 600}
    joined: dict[tuple[str, str], datetime] = {}
    left: dict[tuple[str, str], datetime] = {}
    for row in events:
        key = (row["session_id"], row["viewer_id"])
        if row["event_type"] == "join":
            joined[key] = min(parse_time(row["event_at"]), joined.get(key, parse_time(row["event_at"])))
        elif row["event_type"] == "leave":
            left[key] = max(parse_time(row["event_at"]), left.get(key, parse_time(row["event_at"])))
    watch = {key: (left[key] - joined[key]).total_seconds() for key in joined.keys() & left.keys()}
    buyers = {
        (row["live_session_id"], row["customer_id"]) for row in orders if row["sales_channel"] == "live"
    }

    def summary(sessions: set[str]) -> tuple[float, float]:
        viewers = sum(1 for key in joined if key[0] in sessions)
        converted = sum(1 for key in buyers if key[0] in sessions)
        return converted / viewers, float(np.mean([w for key, w in watch.items() if key[0] in sessions]))

    bad_conversion, bad_watch = summary(bad)
    good_conversion, good_watch = summary(good)
    assert len(bad) > 50
    assert bad_conversion < 0.8 * good_conversion
    assert bad_watch < 0.8 * good_watch


# --- bad rows -------------------------------------------------------------------------------------
def _defects(
    table: str, row: dict[str, str], seen: set[tuple[str, ...]], refs: dict[str, set[str]]
) -> set[str]:
    """Every defect of one CSV row (an empty set for a clean row)."""
    spec = CONTRACT[table]
    found: set[str] = set()
    if any(not row[name] for name in spec.required):
        found.add("missing_required")
    times: dict[str, datetime] = {}
    for name in spec.names_of("timestamp"):
        if row[name]:
            try:
                times[name] = parse_time(row[name])
            except ValueError:
                found.add("unparseable_timestamp")
    numbers: dict[str, float] = {}
    for column in spec.columns:
        if column.kind in NUMERIC and row[column.name]:
            try:
                numbers[column.name] = float(row[column.name])
            except ValueError:
                found.add("unparseable_number")
    if any(t.year >= 2090 for t in times.values()):
        found.add("future_timestamp")
    currency = row.get("currency", "")
    if currency and not (len(currency) == 3 and currency.isalpha() and currency.isupper()):
        found.add("invalid_code")
    elif currency and currency not in KNOWN_CURRENCIES:
        found.add("unknown_currency")
    allowed = {
        "orders": (
            "status",
            {"placed", "paid", "shipped", "delivered", "completed", "cancelled", "refunded"},
        ),
        "live_events": (
            "event_type",
            {"join", "leave", "comment", "like", "share", "gift", "follow", "product_click", "add_to_cart"},
        ),
        "customer_identifiers": ("identifier_type", {"email", "phone", "payment", "social", "device"}),
        "campaigns": ("channel", CAMPAIGN_CHANNELS),
    }
    if table in allowed and row[allowed[table][0]] and row[allowed[table][0]] not in allowed[table][1]:
        found.add("invalid_value")
    if table == "campaigns" and row["objective"] and row["objective"] not in CAMPAIGN_OBJECTIVES:
        found.add("invalid_value")
    if table == "campaign_messages":
        flag = row["is_control"].strip().lower()
        if flag and flag not in BOOLEAN_SPELLINGS:
            found.add("invalid_value")
        follow = [name for name in ("delivered_at", "opened_at", "clicked_at") if name in times]
        if "sent_at" in times and any(times[name] < times["sent_at"] for name in follow):
            found.add("end_before_start")
        elif flag in ("true", "1", "yes", "t", "y") and follow:
            found.add("invalid_value")
    lower_bounds = {"order_total": 0, "unit_price": 0, "list_price": 0, "latency_ms": 0, "points_balance": 0}
    if any(name in numbers and numbers[name] < bound for name, bound in lower_bounds.items()):
        found.add("out_of_range")
    if (
        ("quantity" in numbers and numbers["quantity"] < 1)
        or ("amount" in numbers and table == "refunds" and numbers["amount"] <= 0)
        or ("usd_per_unit" in numbers and numbers["usd_per_unit"] <= 0)
    ):
        found.add("out_of_range")
    if (
        table in ("live_sessions", "campaigns", "memberships")
        and {"started_at", "ended_at"} <= set(times)
        and times["ended_at"] < times["started_at"]
    ):
        found.add("end_before_start")
    if (
        table == "orders"
        and "ordered_at" in times
        and times["ordered_at"].date() < FIRST_RATE_DAY
        and currency != "USD"
    ):
        found.add("no_fx_rate")
    if spec.key and all(row[name] for name in spec.key):
        # a timestamp in a key is compared as the instant it names (spellings vary per row)
        key = tuple(
            str(times.get(name, row[name])) if spec.kind(name) == "timestamp" else row[name]
            for name in spec.key
        )
        if key in seen:
            found.add("duplicate_key")
        seen.add(key)
    for column, reference, reason in (
        ("customer_id", "customers", "unknown_customer"),
        ("order_id", "orders", "unknown_order"),
        ("session_id", "live_sessions", "unknown_session"),
        ("product_id", "products", "unknown_product"),
        ("campaign_id", "campaigns", "unknown_campaign"),
    ):
        if column in row and row[column] and table != reference and row[column] not in refs[reference]:
            found.add(reason)
    return found


def test_bad_row_manifest_is_exact(bad_csv: Path) -> None:
    _, manifest = read_table(bad_csv, "_bad_rows")
    listed: dict[str, dict[int, str]] = defaultdict(dict)
    for entry in manifest:
        assert entry["reason"] in REASONS
        listed[entry["table"]][int(entry["row_number"])] = entry["reason"]
    tables = {table: read_table(bad_csv, table)[1] for table in CONTRACT_TABLES}
    refs = {}
    for table in ("customers", "orders", "live_sessions", "products", "campaigns"):
        key = CONTRACT[table].key[0]
        refs[table] = {row[key] for number, row in enumerate(tables[table], 1) if number not in listed[table]}
    summary = json.loads((bad_csv / "_generation.json").read_text())
    for table, rows in tables.items():
        bad = listed[table]
        clean = len(rows) - len(bad)
        assert len(bad) == round(0.03 * clean), table
        assert summary["bad_rows"][table] == len(bad)
        assert all(1 <= number <= len(rows) for number in bad)
        seen: set[tuple[str, ...]] = set()
        for number, row in enumerate(rows, 1):
            defects = _defects(table, row, seen, refs)
            expected = {bad[number]} if number in bad else set()
            assert defects == expected, (table, number, row)
        if len(bad) > 3:  # spread through the file, not appended at the end
            assert min(bad) < len(rows) / 2
    used = Counter(entry["reason"] for entry in manifest)
    assert set(used) == set(REASONS)  # every reason code appears somewhere


# --- planted effects ------------------------------------------------------------------------------
def _repurchase_rates(folder: Path) -> tuple[dict[str, float], dict[str, float]]:
    """Share of buyers with a second purchase day, by mapped acquisition channel and first category."""
    with CHANNEL_MAP.open() as handle:
        taxonomy = {row["raw_value"]: row["acquisition_channel"] for row in csv.DictReader(handle)}
    _, customers = read_table(folder, "customers")
    channel = {
        row["customer_id"]: taxonomy.get(row["acquisition_channel"].strip().lower(), "unknown")
        for row in customers
    }
    _, products = read_table(folder, "products")
    category = {row["product_id"]: row["category"] for row in products}
    _, items = read_table(folder, "order_items")
    first_line = {row["order_id"]: category[row["product_id"]] for row in items if row["line_number"] == "1"}
    _, refunds = read_table(folder, "refunds")
    refunded: dict[str, float] = defaultdict(float)
    for row in refunds:
        refunded[row["order_id"]] += float(row["amount"])
    _, orders = read_table(folder, "orders")
    days: dict[str, set[date]] = defaultdict(set)
    first: dict[str, tuple[datetime, str]] = {}
    for row in orders:
        total = float(row["order_total"])
        if row["status"] in ("cancelled", "refunded") or (total > 0 and refunded[row["order_id"]] >= total):
            continue
        at = parse_time(row["ordered_at"])
        days[row["customer_id"]].add(at.date())
        if row["customer_id"] not in first or at < first[row["customer_id"]][0]:
            first[row["customer_id"]] = (at, row["order_id"])
    by_channel: dict[str, list[bool]] = defaultdict(list)
    by_category: dict[str, list[bool]] = defaultdict(list)
    for customer, purchase_days in days.items():
        again = len(purchase_days) > 1
        by_channel[channel[customer]].append(again)
        by_category[first_line[first[customer][1]]].append(again)
    return (
        {key: float(np.mean(values)) for key, values in by_channel.items()},
        {key: float(np.mean(values)) for key, values in by_category.items()},
    )


def test_planted_repurchase_effects_are_visible(demo_sized: Path) -> None:
    by_channel, by_category = _repurchase_rates(demo_sized)
    assert by_channel["live_stream"] > by_channel["feed_ads"] * 1.5
    assert by_channel["affiliate_kol"] > by_channel["feed_ads"]
    consumables = np.mean([by_category[c] for c in ("beauty", "skincare", "snacks", "pet")])
    assert consumables > by_category["electronics"] * 1.8
    _, orders = read_table(demo_sized, "orders")
    assert 4_000 <= len(orders) <= 9_600
    assert 0.45 <= sum(row["sales_channel"] == "live" for row in orders) / len(orders) <= 0.65


def test_interaction_depth_before_first_purchase_doubles_repurchase(demo_sized: Path) -> None:
    _, orders = read_table(demo_sized, "orders")
    _, events = read_table(demo_sized, "live_events")
    good = [row for row in orders if row["status"] not in ("cancelled", "refunded")]
    first: dict[str, datetime] = {}
    days: dict[str, set[date]] = defaultdict(set)
    for row in good:
        at = parse_time(row["ordered_at"])
        first[row["customer_id"]] = min(at, first.get(row["customer_id"], at))
        days[row["customer_id"]].add(at.date())
    interactions: Counter[str] = Counter()
    for row in events:
        customer = row["customer_id"]
        if (
            customer in first
            and row["event_type"] not in ("join", "leave")
            and parse_time(row["event_at"]) < first[customer]
        ):
            interactions[customer] += 1
    high = [len(days[c]) > 1 for c in first if interactions[c] > 5]
    low = [len(days[c]) > 1 for c in first if interactions[c] <= 5]
    assert len(high) > 200 and np.mean(high) > 1.6 * np.mean(low)


def _person_activity(folder: Path) -> tuple[dict[str, str], dict[str, list[datetime]], set[tuple[str, str]]]:
    """Per true person: times of qualifying orders and logged-in live joins; (person, session) joined."""
    _, truth = read_table(folder, "_truth_persons")
    person_of = {row["customer_id"]: row["person_id"] for row in truth}
    _, orders = read_table(folder, "orders")
    _, events = read_table(folder, "live_events")
    activity: dict[str, list[datetime]] = defaultdict(list)
    for row in orders:
        if row["status"] not in ("cancelled", "refunded"):
            activity[person_of[row["customer_id"]]].append(parse_time(row["ordered_at"]))
    joined: set[tuple[str, str]] = set()
    for row in events:
        if row["customer_id"] and row["event_type"] == "join":
            person = person_of[row["customer_id"]]
            activity[person].append(parse_time(row["event_at"]))
            joined.add((person, row["session_id"]))
    return person_of, activity, joined


def test_planted_campaign_effects_are_visible(demo_sized: Path) -> None:
    """Win-back lifts 30-day return over its control, reactivation does not, reminders lift attendance."""
    person_of, activity, joined = _person_activity(demo_sized)
    _, campaigns = read_table(demo_sized, "campaigns")
    campaign = {row["campaign_id"]: row for row in campaigns}
    _, messages = read_table(demo_sized, "campaign_messages")
    end = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=420)
    returned: dict[tuple[str, str], list[bool]] = defaultdict(list)
    attended: dict[str, list[bool]] = defaultdict(list)
    for row in messages:
        sent, person = parse_time(row["sent_at"]), person_of[row["customer_id"]]
        objective, arm = campaign[row["campaign_id"]]["objective"], row["is_control"]
        if objective == "live_reminder":
            attended[arm].append((person, campaign[row["campaign_id"]]["session_id"]) in joined)
        elif sent + timedelta(days=30) <= end:
            back = any(sent <= at < sent + timedelta(days=30) for at in activity[person])
            returned[(objective, arm)].append(back)
    winback = np.mean(returned[("win_back", "false")]) - np.mean(returned[("win_back", "true")])
    reactivation = np.mean(returned[("reactivation", "false")]) - np.mean(returned[("reactivation", "true")])
    reminder = np.mean(attended["false"]) - np.mean(attended["true"])
    assert len(returned[("win_back", "true")]) > 200
    assert 0.05 < winback < 0.16, winback  # planted +0.10
    assert abs(reactivation) < 0.05, reactivation  # planted 0
    assert 0.02 < reminder < 0.09, reminder  # planted +0.05
    assert (
        not returned[("cross_sell", "true")] and not returned[("member_offer", "true")]
    )  # no control groups


def test_members_were_heavier_buyers_before_joining(demo_sized: Path) -> None:
    """The planted selection effect: members had more purchase days before joining than buyers overall."""
    person_of, activity, _ = _person_activity(demo_sized)
    _, orders = read_table(demo_sized, "orders")
    purchase_days: dict[str, set[date]] = defaultdict(set)
    for row in orders:
        if row["status"] not in ("cancelled", "refunded"):
            purchase_days[person_of[row["customer_id"]]].add(parse_time(row["ordered_at"]).date())
    _, spells = read_table(demo_sized, "memberships")
    joined: dict[str, datetime] = {}
    for row in spells:
        person, start = person_of[row["customer_id"]], parse_time(row["started_at"])
        joined[person] = min(start, joined.get(person, start))
    before = [sum(day <= at.date() for day in purchase_days[person]) for person, at in joined.items()]
    buyers = [len(days) for person, days in purchase_days.items() if person not in joined]
    assert len(joined) > 200
    assert min(before) >= 1  # members join after a purchase
    assert np.mean(before) > 1.5 * np.mean(buyers)
    assert {row["tier"] for row in spells} == {"Silver", "Gold"}


# --- FX --------------------------------------------------------------------------------------------
def test_demo_fx_path_is_deterministic_and_plausible() -> None:
    day = date(2025, 6, 15)
    assert fx_path.usd_per_unit("EUR", day) == fx_path.usd_per_unit("eur", day)
    assert 1.0 < fx_path.usd_per_unit("EUR", day) < 1.16
    assert 0.000035 < fx_path.usd_per_unit("VND", day) < 0.000045
    assert fx_path.usd_per_unit("USD", day) == 1.0
    assert fx_path.usd_per_unit("SAR", day) == pytest.approx(1 / 3.75, rel=1e-5)
    with pytest.raises(KeyError):
        fx_path.usd_per_unit("QQQ", day)


def test_demo_ships_its_own_fx_rates_file_from_its_path(clean_csv: Path) -> None:
    """The demo folder holds fx_rates for every currency it sells in, daily, from the demo path."""
    _, rates = read_table(clean_csv, "fx_rates")
    _, orders = read_table(clean_csv, "orders")
    currencies = {row["currency"] for row in rates}
    assert {row["currency"] for row in orders} <= currencies
    assert {row["rate_date"] for row in rates} == {
        (date(2025, 1, 1) + timedelta(days=offset)).isoformat() for offset in range(-7, SMALL["days"])
    }
    for row in rates[:: max(1, len(rates) // 200)]:  # a spread of rows: exactly the path's value
        day = date.fromisoformat(row["rate_date"])
        assert float(row["usd_per_unit"]) == fx_path.usd_per_unit(row["currency"], day)
        assert "e" not in row["usd_per_unit"]


# --- the orders-heavy shop (profile orders) ---------------------------------------------------------
ORDERS_SMALL = {"customers": 4_000, "chunk_size": 1_500, "progress": False, "format": "csv"}


@pytest.fixture(scope="module")
def orders_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("orders-shop")
    generate(GenerateConfig.for_profile("orders", out=folder, **ORDERS_SMALL))
    return folder


def test_orders_profile_defaults_and_tables() -> None:
    config = GenerateConfig.for_profile("orders")
    assert (config.customers, config.days, config.format, str(config.out)) == (
        1_000_000,
        540,
        "parquet",
        "data/orders",
    )
    assert config.shop == "orders" and config.wants("orders") and not config.wants("live_events")
    with pytest.raises(ValueError, match="writes only"):
        GenerateConfig.for_profile("orders", tables=("orders", "live_events"))
    assert GenerateConfig.for_profile("demo").shop == "live"


def test_orders_shop_writes_its_four_tables_deterministically(tmp_path: Path, orders_csv: Path) -> None:
    files = {path.name for path in orders_csv.iterdir()}
    assert files == {
        "customers.csv",
        "orders.csv",
        "refunds.csv",
        "fx_rates.csv",
        "_truth_persons.csv",
        "_bad_rows.csv",
        "_generation.json",
    }
    for table in ("customers", "orders", "refunds", "fx_rates"):
        header, _ = read_table(orders_csv, table)
        assert header == list(CONTRACT[table].column_names), table
    again = tmp_path / "again"
    generate(GenerateConfig.for_profile("orders", out=again, **ORDERS_SMALL))
    for name in files:
        assert (again / name).read_bytes() == (orders_csv / name).read_bytes(), name
    summary = json.loads((orders_csv / "_generation.json").read_text())
    assert summary["config"]["profile"] == "orders" and summary["fx_rates_written"] is True


def test_orders_shop_is_orders_heavy_in_three_currencies(orders_csv: Path) -> None:
    _, customers = read_table(orders_csv, "customers")
    _, orders = read_table(orders_csv, "orders")
    _, refunds = read_table(orders_csv, "refunds")
    assert len(customers) == ORDERS_SMALL["customers"]
    customer_ids = {row["customer_id"] for row in customers}
    assert len(customer_ids) == len(customers)
    assert {row["customer_id"] for row in orders} <= customer_ids
    per_buyer = Counter(row["customer_id"] for row in orders)
    assert 4.5 <= len(orders) / len(customers) <= 5.5  # about 5 M orders for 1 M accounts
    assert 0.75 <= len(per_buyer) / len(customers) <= 0.92
    assert {row["currency"] for row in orders} == {"USD", "EUR", "GBP"}
    markets = {"US", "GB", "DE", "FR", "ES", "IT", "NL"}
    countries = Counter(row["country_code"].upper() for row in customers)
    assert set(countries) - {""} == markets and countries[""] > 0  # some accounts have no country
    statuses = Counter(row["status"] for row in orders)
    assert statuses["cancelled"] > 0 and statuses["refunded"] > 0 and statuses[""] > 0
    assert not any(row["live_session_id"] for row in orders)
    order_ids = {row["order_id"] for row in orders}
    assert len(order_ids) == len(orders)
    assert refunds and {row["order_id"] for row in refunds} <= order_ids
    assert len({row["refund_id"] for row in refunds}) == len(refunds)


def test_orders_shop_accounts_share_no_email_or_phone(orders_csv: Path) -> None:
    _, customers = read_table(orders_csv, "customers")
    emails = Counter(row["email"].strip().lower() for row in customers if row["email"].strip())
    phones = Counter(
        digits[2:] if digits.startswith("00") else digits
        for digits in ("".join(ch for ch in row["phone"] if ch.isdigit()) for row in customers)
        if digits
    )
    assert emails and phones
    assert max(emails.values()) == 1 and max(phones.values()) == 1
    _, truth = read_table(orders_csv, "_truth_persons")
    assert len({row["person_id"] for row in truth}) == len(customers)


def test_orders_shop_rates_cover_every_order_day(orders_csv: Path) -> None:
    _, orders = read_table(orders_csv, "orders")
    _, rates = read_table(orders_csv, "fx_rates")
    days = {(row["currency"], row["rate_date"]) for row in rates}
    assert {row["currency"] for row in rates} >= {"EUR", "GBP"}
    for order in orders:
        if order["currency"] != "USD":
            day = parse_time(order["ordered_at"]).astimezone(UTC).date().isoformat()
            assert (order["currency"], day) in days
