"""Right to erasure: no trace of an erased account is left anywhere in the warehouse file.

A small shop is built twice into one DuckDB file: first with no deletion request (so the
segment snapshot records everybody), then with requests for (a) every account of one person
who bought, watched live sessions, got campaign messages and was a member, and (b) one account
of a two-account person. After the second build, every VARCHAR value of every table (all
schemas, snapshot history included) is searched for the erased account ids, the md5 person keys
derived from them, the SHA-256 of their email, phone and extra identifiers (those not also held
by a kept account), the viewer ids only they used and the ids of the campaign messages sent to
them. The same search after the first build must find them (so the test can fail), and the
second build must still keep the surviving account of the partly erased person. Only base
tables are searched: the one kind of view that could reach an erased row, the raw.<table> views
over the raw files, is dropped from every published file (test_publish_strips_raw.py).
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb
import pytest

from conftest import dbt_build
from livewh.generate import GenerateConfig, generate


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def normalised_hash(identifier_type: str, value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if identifier_type == "email":
        return sha256(value.lower())
    if identifier_type == "phone":
        digits = re.sub(r"^00", "", re.sub(r"[^0-9]", "", value))
        return sha256(digits) if digits else None
    return sha256(value)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def traces_of(raw_dir: Path, erased: set[str]) -> set[str]:
    """Every value that would identify an erased account, and that no kept account shares."""
    holders: dict[str, set[str]] = defaultdict(set)
    for row in read_rows(raw_dir / "customers.csv"):
        for kind in ("email", "phone"):
            digest = normalised_hash(kind, row[kind] or "")
            if digest:
                holders[digest].add(row["customer_id"])
    for row in read_rows(raw_dir / "customer_identifiers.csv"):
        digest = normalised_hash(row["identifier_type"], row["identifier_value"] or "")
        if digest:
            holders[digest].add(row["customer_id"])
    viewers: dict[str, set[str]] = defaultdict(set)
    for row in read_rows(raw_dir / "live_events.csv"):
        if row["customer_id"]:
            viewers[row["viewer_id"]].add(row["customer_id"])
    traces = set(erased) | {hashlib.md5(account.encode()).hexdigest() for account in erased}
    traces |= {digest for digest, accounts in holders.items() if accounts and accounts <= erased}
    traces |= {viewer for viewer, accounts in viewers.items() if accounts <= erased}
    traces |= {
        row["message_id"]
        for row in read_rows(raw_dir / "campaign_messages.csv")
        if row["customer_id"] in erased
    }
    return traces


def find_traces(db_path: Path, traces: set[str]) -> list[tuple[str, str, int]]:
    """(relation, column, rows) for every VARCHAR column holding or containing a trace."""
    hits = []
    with duckdb.connect(str(db_path), read_only=True) as connection:
        connection.execute(
            "create temp table traces as select unnest($1::varchar[]) as trace", [sorted(traces)]
        )
        columns = connection.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR' and table_catalog = current_database() "
            "and (table_schema, table_name) in "
            "(select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE')"
        ).fetchall()
        for schema, table, column in columns:
            relation = f'"{schema}"."{table}"'
            found = connection.execute(
                f"select count(*) from {relation} as searched inner join traces "
                f'on searched."{column}" = traces.trace or contains(searched."{column}", traces.trace)'
            ).fetchone()[0]
            if found:
                hits.append((f"{schema}.{table}", column, found))
    return hits


@pytest.fixture(scope="module")
def erased_shop(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    work = tmp_path_factory.mktemp("erasure")
    raw_dir = work / "raw"
    generate(
        GenerateConfig(
            out=raw_dir,
            customers=700,
            days=240,
            start_date=date(2025, 1, 1),
            seed=23,
            hosts=6,
            products=40,
            progress=False,
        )
    )
    truth = read_rows(raw_dir / "_truth_persons.csv")
    accounts_of: dict[str, list[str]] = defaultdict(list)
    for row in truth:
        accounts_of[row["person_id"]].append(row["customer_id"])
    buyers = {row["customer_id"] for row in read_rows(raw_dir / "orders.csv")}
    watchers = {row["customer_id"] for row in read_rows(raw_dir / "live_events.csv") if row["customer_id"]}
    messaged = {row["customer_id"] for row in read_rows(raw_dir / "campaign_messages.csv")}
    members = {row["customer_id"] for row in read_rows(raw_dir / "memberships.csv")}
    whole = next(
        accounts
        for accounts in accounts_of.values()
        if len(accounts) == 1
        and accounts[0] in buyers
        and accounts[0] in watchers
        and accounts[0] in messaged
        and accounts[0] in members
    )
    pair = next(accounts for accounts in accounts_of.values() if len(accounts) == 2)
    erased = {whole[0], pair[1]}
    kept = pair[0]

    db_path = work / "warehouse.duckdb"
    requests = raw_dir / "deletion_requests.csv"
    shutil.copy(requests, work / "generated_requests.csv")
    requests.write_text("customer_id,requested_at\n", encoding="utf-8")
    dbt_build(raw_dir, db_path, work, exclude=("resource_type:test", "resource_type:unit_test"))
    before = find_traces(db_path, traces_of(raw_dir, erased))

    requests.write_text(
        "customer_id,requested_at\n" + "".join(f"{a},2026-01-01\n" for a in sorted(erased)), encoding="utf-8"
    )
    dbt_build(raw_dir, db_path, work, exclude=("resource_type:test", "resource_type:unit_test"))
    after = find_traces(db_path, traces_of(raw_dir, erased))
    return {"db": db_path, "before": before, "after": after, "kept": kept, "erased": erased}


def test_traces_are_present_before_the_request(erased_shop: dict[str, object]) -> None:
    tables = {relation for relation, _, _ in erased_shop["before"]}
    # the facts are stored in the intermediate tables (fct_orders and dim_customers are views over them)
    assert {
        "intermediate.int_orders_enriched",
        "intermediate.int_persons_profiled",
        "snapshots.dim_customer_segments_snapshot",
        "main.fct_campaign_messages",
        "intermediate.int_memberships_resolved",
    } <= tables


def test_no_trace_of_an_erased_account_remains(erased_shop: dict[str, object]) -> None:
    assert erased_shop["after"] == []


def test_the_kept_account_of_a_partly_erased_person_survives(erased_shop: dict[str, object]) -> None:
    with duckdb.connect(str(erased_shop["db"]), read_only=True) as connection:
        kept = connection.execute(
            "select count(*) from main.rpt_identity_merges where customer_id = ?", [erased_shop["kept"]]
        ).fetchone()[0]
        erased_rows = connection.execute(
            "select sum(erased_rows) from main.rpt_raw_reconciliation where table_name = 'customers'"
        ).fetchone()[0]
    assert kept == 1
    assert erased_rows == len(erased_shop["erased"])
