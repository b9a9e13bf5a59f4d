"""``livewh audience`` on a small warehouse made in the test."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from conftest import CliResult

HEX64 = "^[0-9a-f]{64}$"


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@pytest.fixture
def segments_db(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            """
            create table main.dim_customer_segments as select * from (values
                ('k1', 'lapsed', 'high', 'DE', 'de'),
                ('k2', 'lapsed', 'high', 'DE', 'de'),
                ('k3', 'active', 'high', 'DE', 'de'),
                ('k4', 'lapsed', 'low', 'FR', 'fr'),
                ('k5', 'lapsed', 'high', 'FR', 'fr')
            ) as t(customer_key, lifecycle_stage, value_tier, market_country_code, language_code)
            """
        )
        connection.execute(
            """
            create table main.dim_customer_tags as select * from (values
                ('k1', 'vip', 'true'), ('k2', 'vip', 'false'), ('k5', 'vip', 'true'),
                ('k1', 'channel', 'live')
            ) as t(customer_key, tag_key, tag_value)
            """
        )
        identifiers = [
            ("k1", "email", _sha("anna@example.com")),
            ("k1", "email", _sha("anna.work@example.com")),
            ("k1", "phone", _sha("4930123456")),
            ("k2", "phone", _sha("4930999999")),
            ("k4", "email", _sha("zoe@example.fr")),
            ("k5", "payment", _sha("card-1")),
        ]
        connection.execute(
            "create table main.dim_customer_identifiers_hashed "
            "(customer_key varchar, identifier_type varchar, identifier_sha256 varchar)"
        )
        connection.executemany(
            "insert into main.dim_customer_identifiers_hashed values (?, ?, ?)", identifiers
        )
    return path


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_silent_high_value_buyers_in_germany(
    segments_db: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    out = tmp_path / "aud"
    result = run_cli(
        "audience", "--db", segments_db, "--name", "winback_de", "--out", out,
        "--filter", "lifecycle_stage=lapsed", "--filter", "value_tier=high",
        "--filter", "market_country_code=DE",
    )  # fmt: skip
    assert result.code == 0, result.err
    rows = _read(out / "winback_de.csv")
    assert list(rows[0]) == ["customer_key", "email_sha256", "phone_sha256"]
    assert {row["customer_key"] for row in rows} == {"k1", "k2"}
    k1 = [row for row in rows if row["customer_key"] == "k1"]
    assert sorted(row["email_sha256"] for row in k1) == sorted(
        [_sha("anna@example.com"), _sha("anna.work@example.com")]
    )
    assert [row["phone_sha256"] for row in k1].count(_sha("4930123456")) == 1
    assert [row for row in rows if row["customer_key"] == "k2"] == [
        {"customer_key": "k2", "email_sha256": "", "phone_sha256": _sha("4930999999")}
    ]
    text = (out / "winback_de.csv").read_text()
    assert "@" not in text and "anna" not in text
    manifest = json.loads((out / "winback_de.manifest.json").read_text())
    assert (
        manifest["customers"] == 2
        and manifest["customers_with_email"] == 1
        and manifest["customers_with_phone"] == 2
    )
    assert manifest["filters"] == ["lifecycle_stage=lapsed", "value_tier=high", "market_country_code=DE"]
    assert manifest["sha256"] == hashlib.sha256((out / "winback_de.csv").read_bytes()).hexdigest()


def test_repeated_column_means_any_value_and_tags_must_all_match(
    segments_db: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    result = run_cli(
        "audience", "--db", segments_db, "--name", "vip", "--out", tmp_path,
        "--filter", "market_country_code=DE", "--filter", "market_country_code=FR", "--tag", "vip=true",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert {row["customer_key"] for row in _read(tmp_path / "vip.csv")} == {"k1", "k5"}
    k5 = [row for row in _read(tmp_path / "vip.csv") if row["customer_key"] == "k5"]
    assert k5 == [
        {"customer_key": "k5", "email_sha256": "", "phone_sha256": ""}
    ]  # payment ids are not exported


def test_empty_audience_is_a_warning(
    segments_db: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    result = run_cli(
        "audience", "--db", segments_db, "--name", "nobody", "--out", tmp_path,
        "--filter", "lifecycle_stage=active", "--filter", "market_country_code=FR",
    )  # fmt: skip
    assert result.code == 0
    assert "warning: audience 'nobody' is empty" in result.err
    assert (tmp_path / "nobody.csv").read_text().strip() == "customer_key,email_sha256,phone_sha256"
    assert json.loads((tmp_path / "nobody.manifest.json").read_text())["customers"] == 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--filter", "lifecycle=lapsed"], "unknown segment column 'lifecycle'. Valid columns"),
        (
            ["--filter", "value_tier=platinum"],
            "no customer has value_tier = 'platinum'. Values present: high, low",
        ),
        (["--tag", "vipp=true"], "unknown tag key 'vipp'. Tag keys present: channel, vip"),
        (["--tag", "vip=maybe"], "no customer has tag vip = 'maybe'. Values present: false, true"),
        (["--filter", "lifecycle_stage"], "--filter expects NAME=VALUE"),
        ([], "no --filter or --tag given: the audience would be every person"),
        (["--all", "--filter", "value_tier=high"], "--all means every person"),
    ],
)
def test_mistakes_are_explained(
    segments_db: Path, tmp_path: Path, run_cli: Callable[..., CliResult], args: list[str], expected: str
) -> None:
    result = run_cli("audience", "--db", segments_db, "--name", "x", "--out", tmp_path, *args)
    assert result.code == 2
    assert expected in result.err
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.csv").exists()


def test_unknown_column_error_lists_the_columns(
    segments_db: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    result = run_cli(
        "audience", "--db", segments_db, "--name", "x", "--out", tmp_path, "--filter", "tier=high"
    )
    for column in ("lifecycle_stage", "value_tier", "market_country_code", "language_code"):
        assert column in result.err


def test_everyone_takes_an_explicit_all(
    segments_db: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    result = run_cli("audience", "--db", segments_db, "--name", "everyone", "--out", tmp_path, "--all")
    assert result.code == 0, result.err
    assert {row["customer_key"] for row in _read(tmp_path / "everyone.csv")} == {"k1", "k2", "k3", "k4", "k5"}
    manifest = json.loads((tmp_path / "everyone.manifest.json").read_text())
    assert manifest["all"] is True and manifest["filters"] == [] and manifest["tags"] == []


def test_missing_marts_are_a_clear_error(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("create table main.other as select 1 as x")
    result = run_cli("audience", "--db", path, "--name", "x", "--out", tmp_path, "--all")
    assert result.code == 2
    assert "main.dim_customer_segments" in result.err and "main.dim_customer_identifiers_hashed" in result.err


def test_a_clear_identifier_is_never_written(
    segments_db: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    with duckdb.connect(str(segments_db)) as connection:
        connection.execute(
            "insert into main.dim_customer_identifiers_hashed values ('k3', 'email', 'bob@example.com')"
        )
    result = run_cli("audience", "--db", segments_db, "--name", "all", "--out", tmp_path / "out", "--all")
    assert result.code == 2
    assert "not a SHA-256 hex digest" in result.err
    assert not (tmp_path / "out" / "all.csv").exists()


def test_bad_audience_name(segments_db: Path, tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("audience", "--db", segments_db, "--name", "../escape", "--out", tmp_path)
    assert result.code == 2 and "audience name" in result.err


def test_numeric_filters_compare_numbers(
    segments_db: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    with duckdb.connect(str(segments_db)) as connection:
        connection.execute("alter table main.dim_customer_segments add column p_alive double")
        connection.execute(
            "update main.dim_customer_segments set p_alive = case customer_key "
            "when 'k1' then 0.2 when 'k2' then 0.5 when 'k3' then 0.9 when 'k4' then 0.1 end"
        )  # k5 has no prediction: never matches a comparison
    result = run_cli(
        "audience", "--db", segments_db, "--name", "at_risk", "--out", tmp_path,
        "--filter", "p_alive<0.5", "--filter", "value_tier=high",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert {row["customer_key"] for row in _read(tmp_path / "at_risk.csv")} == {"k1"}
    manifest = json.loads((tmp_path / "at_risk.manifest.json").read_text())
    assert manifest["filters"] == ["p_alive<0.5", "value_tier=high"]
    result = run_cli(
        "audience", "--db", segments_db, "--name", "likely", "--out", tmp_path,
        "--filter", "p_alive >= 0.5", "--filter", "p_alive<=0.9",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert {row["customer_key"] for row in _read(tmp_path / "likely.csv")} == {"k2", "k3"}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("value_tier<3", "< compares numbers, and value_tier is varchar. Numeric columns: p_alive"),
        ("p_alive>high", "'high' is not a number"),
        ("p_alive=0.3", "no customer has p_alive = '0.3'"),
    ],
)
def test_numeric_filter_mistakes_are_explained(
    segments_db: Path, tmp_path: Path, run_cli: Callable[..., CliResult], condition: str, expected: str
) -> None:
    with duckdb.connect(str(segments_db)) as connection:
        connection.execute("alter table main.dim_customer_segments add column p_alive double default 0.25")
    result = run_cli("audience", "--db", segments_db, "--name", "x", "--out", tmp_path, "--filter", condition)
    assert result.code == 2
    assert expected in result.err
    assert not (tmp_path / "x.csv").exists()


@pytest.fixture
def fifty_db(tmp_path: Path) -> Path:
    """50 silent people (k00..k49), each with an email hash, and their primary accounts."""
    path = tmp_path / "fifty.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "create table main.dim_customer_segments as select "
            "'k' || lpad(i::varchar, 2, '0') as customer_key, 'silent' as lifecycle_stage "
            "from range(50) as t(i)"
        )
        connection.execute(
            "create table main.dim_customer_identifiers_hashed as select customer_key, "
            "'email' as identifier_type, sha256(customer_key || '@example.com') as identifier_sha256 "
            "from main.dim_customer_segments"
        )
        connection.execute(
            "create table main.dim_customers as select customer_key, "
            "'acc_' || customer_key as primary_customer_id from main.dim_customer_segments"
        )
    return path


def test_control_hold_out_is_random_deterministic_and_beside_the_send_list(
    fifty_db: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    def run(name: str, seed: str) -> tuple[set[str], list[dict[str, str]], dict[str, object]]:
        out = tmp_path / name
        result = run_cli(
            "audience", "--db", fifty_db, "--name", "winback", "--out", out,
            "--filter", "lifecycle_stage=silent", "--control-share", "0.2", "--control-seed", seed,
        )  # fmt: skip
        assert result.code == 0, result.err
        assert "control group: 10 customer(s) held out" in result.out
        send = {row["customer_key"] for row in _read(out / "winback.csv")}
        control = _read(out / "winback.control.csv")
        return send, control, json.loads((out / "winback.manifest.json").read_text())

    send, control, manifest = run("first", "7")
    held_out = {row["customer_key"] for row in control}
    assert len(held_out) == 10 and len(send) == 40 and not send & held_out
    assert send | held_out == {f"k{i:02d}" for i in range(50)}
    assert list(control[0]) == ["customer_key", "customer_id"]
    assert all(row["customer_id"] == "acc_" + row["customer_key"] for row in control)
    assert manifest["customers"] == 40 and manifest["selected_customers"] == 50
    assert (manifest["control_customers"], manifest["control_share"], manifest["control_seed"]) == (
        10,
        0.2,
        7,
    )
    assert (
        manifest["control_sha256"]
        == hashlib.sha256((tmp_path / "first" / "winback.control.csv").read_bytes()).hexdigest()
    )
    again, control_again, _ = run("again", "7")
    assert again == send and control_again == control  # same seed, same group
    other, control_other, _ = run("other", "8")
    assert {row["customer_key"] for row in control_other} != held_out  # another seed, another group
    # not the first or last ten keys: the group is spread over the audience
    assert held_out != {f"k{i:02d}" for i in range(10)} and held_out != {f"k{i:02d}" for i in range(40, 50)}


def test_no_control_share_writes_no_control_list_and_removes_a_stale_one(
    fifty_db: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    stale = tmp_path / "winback.control.csv"
    stale.write_text("customer_key,customer_id\nk01,acc_k01\n")
    result = run_cli(
        "audience",
        "--db",
        fifty_db,
        "--name",
        "winback",
        "--out",
        tmp_path,
        "--filter",
        "lifecycle_stage=silent",
    )
    assert result.code == 0, result.err
    assert not stale.exists()
    assert len(_read(tmp_path / "winback.csv")) == 50
    manifest = json.loads((tmp_path / "winback.manifest.json").read_text())
    assert manifest["control_customers"] == 0 and manifest["control_file"] is None


@pytest.mark.parametrize("share", ["1", "-0.1", "1.5"])
def test_control_share_out_of_range_is_explained(
    fifty_db: Path, tmp_path: Path, run_cli: Callable[..., CliResult], share: str
) -> None:
    result = run_cli(
        "audience", "--db", fifty_db, "--name", "x", "--out", tmp_path,
        "--filter", "lifecycle_stage=silent", "--control-share", share,
    )  # fmt: skip
    assert result.code == 2
    assert "--control-share must be at least 0 and below 1" in result.err
    assert not (tmp_path / "x.csv").exists()
