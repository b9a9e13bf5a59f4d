"""``livewh audience``: activation audiences (win-back, VIP...) for ad-platform customer matching.

People are chosen from ``main.dim_customer_segments`` (one row per ``customer_key``) by
``--filter column=value`` (repeat a column to allow several values; different columns must all
match) or, on a numeric column such as the predictions ``p_alive`` or ``predicted_12m_net_usd``,
``--filter 'column<value'`` (also ``<=``, ``>``, ``>=``; a person without a value never matches),
and from ``main.dim_customer_tags`` by ``--tag key=value`` (every tag must be present).
Columns, values, tag keys and tag values are checked against what the warehouse holds; a typo
is an error that lists the valid choices.

The output CSV has ``customer_key, email_sha256, phone_sha256``: the SHA-256 hex of the
normalised email / phone from ``main.dim_customer_identifiers_hashed``, the format ad platforms
accept for customer matching. A person with several emails or phones gets several rows (the
i-th email beside the i-th phone); a person with none gets one row with empty hashes. Every
hash is verified to be 64 hex digits, so a clear identifier can never be written. A small
``<name>.manifest.json`` describes the audience. An empty audience is a warning, not an error.

``--control-share F`` holds out a random share F of the chosen people as a control group, so a
campaign sent to the list can be measured: exactly ``round(F x people)`` people, those with the
smallest SHA-256 of ``"<seed>:<customer_key>"`` (``--control-seed``, default 0). The same audience
and seed always give the same control group; another seed gives another one. The held-out people
are left out of ``<name>.csv`` and written to ``<name>.control.csv`` (``customer_key`` and
``customer_id``, the person's primary account; no identifiers, as it is never uploaded): record them
as ``campaign_messages`` rows with ``is_control = true`` and the campaign's send time, and the
campaign marts measure the send list against them.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from livewh.errors import LivewhError
from livewh.export import sha256_of
from livewh.paths import display
from livewh.warehouse import columns, connect_read_only, has_relation, quote, read_build_info

SEGMENTS = "dim_customer_segments"
CUSTOMERS = "dim_customers"
TAGS = "dim_customer_tags"
IDENTIFIERS = "dim_customer_identifiers_hashed"
KEY = "customer_key"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
SHA256_PATTERN = "^[0-9a-f]{64}$"
MAX_LISTED = 40
IDENTIFIER_FORMAT = "sha256 hex of the normalised email (trimmed, lower case) / phone (E.164 digits)"
#: ``column<op>value``: the operator is the first comparison sign (``<=`` and ``>=`` before ``<``, ``>``).
FILTER_PATTERN = re.compile(r"^\s*([^<>=\s]+)\s*(<=|>=|<|>|=)\s*(.*?)\s*$")
NUMERIC_TYPES = re.compile(r"^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|FLOAT|DOUBLE|REAL|DECIMAL.*)$", re.I)


@dataclass(frozen=True)
class AudienceResult:
    """The written audience."""

    csv_path: Path
    manifest_path: Path
    manifest: dict[str, Any]
    control_path: Path | None = None

    @property
    def is_empty(self) -> bool:
        """True when nobody matched."""
        return self.manifest["customers"] == 0


def parse_pairs(pairs: list[str], option: str) -> list[tuple[str, str]]:
    """``["a=b", ...]`` to ``[("a", "b"), ...]``, with a clear error for a malformed pair."""
    parsed = []
    for pair in pairs:
        name, separator, value = pair.partition("=")
        if not separator or not name.strip():
            raise LivewhError(f"{option} expects NAME=VALUE, got '{pair}'.")
        parsed.append((name.strip(), value.strip()))
    return parsed


def parse_filters(filters: list[str]) -> list[tuple[str, str, str]]:
    """``["a=b", "p<0.3", ...]`` to ``[("a", "=", "b"), ("p", "<", "0.3"), ...]``."""
    parsed = []
    for text in filters:
        match = FILTER_PATTERN.match(text)
        if not match:
            raise LivewhError(
                f"--filter expects NAME=VALUE (or NAME<VALUE, <=, >, >= on a numeric column), got '{text}'."
            )
        parsed.append((match.group(1), match.group(2), match.group(3)))
    return parsed


def _listing(values: list[str]) -> str:
    shown = ", ".join(values[:MAX_LISTED])
    return shown + (f", ... ({len(values)} in all)" if len(values) > MAX_LISTED else "")


def _distinct(
    connection: duckdb.DuckDBPyConnection, sql: str, parameters: list[Any] | None = None
) -> list[str]:
    return [
        str(value) for (value,) in connection.execute(sql, parameters or []).fetchall() if value is not None
    ]


def build_where(
    connection: duckdb.DuckDBPyConnection,
    filters: list[tuple[str, str, str]],
    tags: list[tuple[str, str]],
) -> tuple[str, list[Any]]:
    """Validate filters and tags against the warehouse; return a WHERE clause and its parameters."""
    segment_types = {
        name: data_type for name, data_type in columns(connection, "main", SEGMENTS) if name != KEY
    }
    segment_columns = list(segment_types)
    clauses: list[str] = []
    parameters: list[Any] = []
    by_column: dict[str, list[str]] = {}
    for column, operator, value in filters:
        if column not in segment_columns:
            raise LivewhError(
                f"unknown segment column '{column}'. "
                f"Valid columns of main.{SEGMENTS}: {_listing(segment_columns)}."
            )
        if operator == "=":
            by_column.setdefault(column, []).append(value)
            continue
        if not NUMERIC_TYPES.match(segment_types[column]):
            numeric = [name for name, data_type in segment_types.items() if NUMERIC_TYPES.match(data_type)]
            raise LivewhError(
                f"'{column}{operator}{value}': {operator} compares numbers, and {column} is "
                f"{segment_types[column].lower()}. Numeric columns: {_listing(numeric)}."
            )
        try:
            number = float(value)
        except ValueError:
            raise LivewhError(f"'{column}{operator}{value}': '{value}' is not a number.") from None
        clauses.append(f"segments.{quote(column)} {operator} ?")
        parameters.append(number)
    for column, values in by_column.items():
        valid = _distinct(
            connection,
            f"select distinct cast({quote(column)} as varchar) as value from main.{SEGMENTS} order by value",
        )
        unknown = [value for value in values if value not in valid]
        if unknown:
            raise LivewhError(
                f"no customer has {column} = {', '.join(repr(value) for value in unknown)}. "
                f"Values present: {_listing(valid)}."
            )
        placeholders = ", ".join("?" for _ in values)
        clauses.append(f"cast(segments.{quote(column)} as varchar) in ({placeholders})")
        parameters += values
    if tags:
        if not has_relation(connection, "main", TAGS):
            raise LivewhError(f"--tag needs main.{TAGS}, which this warehouse does not have.")
        keys = _distinct(connection, f"select distinct tag_key from main.{TAGS} order by tag_key")
        for key, value in tags:
            if key not in keys:
                raise LivewhError(f"unknown tag key '{key}'. Tag keys present: {_listing(keys)}.")
            valid = _distinct(
                connection,
                f"select distinct cast(tag_value as varchar) as value from main.{TAGS} "
                "where tag_key = ? order by value",
                [key],
            )
            if value not in valid:
                raise LivewhError(
                    f"no customer has tag {key} = '{value}'. Values present: {_listing(valid)}."
                )
            clauses.append(
                f"exists (select 1 from main.{TAGS} as tags where tags.{KEY} = segments.{KEY} "
                "and tags.tag_key = ? and cast(tags.tag_value as varchar) = ?)"
            )
            parameters += [key, value]
    return (" and ".join(clauses) if clauses else "true"), parameters


def audience_query(where: str) -> str:
    """One row per (customer, i-th email, i-th phone) of the chosen customers."""
    return f"""
        with chosen as (
            select distinct segments.{KEY} from main.{SEGMENTS} as segments where {where}
        ),
        identifiers as (
            select
                {KEY},
                identifier_type,
                identifier_sha256,
                row_number() over (partition by {KEY}, identifier_type order by identifier_sha256) as position
            from (
                select distinct {KEY}, identifier_type, lower(identifier_sha256) as identifier_sha256
                from main.{IDENTIFIERS}
                where identifier_type in ('email', 'phone') and identifier_sha256 is not null
            ) as hashed
            where {KEY} in (select {KEY} from chosen)
        ),
        emails as (
            select {KEY}, position, identifier_sha256 as email_sha256
            from identifiers where identifier_type = 'email'
        ),
        phones as (
            select {KEY}, position, identifier_sha256 as phone_sha256
            from identifiers where identifier_type = 'phone'
        ),
        paired as (
            select coalesce(emails.{KEY}, phones.{KEY}) as {KEY}, emails.email_sha256, phones.phone_sha256
            from emails
            full outer join phones on emails.{KEY} = phones.{KEY} and emails.position = phones.position
        )
        select chosen.{KEY}, paired.email_sha256, paired.phone_sha256
        from chosen
        left join paired on chosen.{KEY} = paired.{KEY}
        order by chosen.{KEY}, paired.email_sha256 nulls last, paired.phone_sha256 nulls last
    """


def control_group(customer_keys: list[str], share: float, seed: int) -> set[str]:
    """The ``round(share x len)`` people with the smallest SHA-256 of ``"<seed>:<customer_key>"``."""
    if not 0.0 <= share < 1.0:
        raise LivewhError(f"--control-share must be at least 0 and below 1, got {share}.")
    people = sorted(set(customer_keys))
    size = round(share * len(people))
    ranked = sorted(people, key=lambda key: hashlib.sha256(f"{seed}:{key}".encode()).hexdigest())
    return set(ranked[:size])


def write_audience(
    db_path: Path,
    name: str,
    out_dir: Path,
    filters: list[str],
    tags: list[str],
    everyone: bool = False,
    control_share: float = 0.0,
    control_seed: int = 0,
) -> AudienceResult:
    """Select the audience, hold out the control group, verify every hash, write CSVs and manifest.

    Without any filter or tag the audience would be every person: that takes ``everyone=True``
    (``--all``), so a forgotten filter never silently exports the whole customer base.
    """
    if not NAME_PATTERN.match(name):
        raise LivewhError(
            f"audience name '{name}' must be letters, digits, '_', '-' or '.' (no spaces or slashes)."
        )
    if not 0.0 <= control_share < 1.0:
        raise LivewhError(f"--control-share must be at least 0 and below 1, got {control_share}.")
    parsed_filters = parse_filters(filters)
    parsed_tags = parse_pairs(tags, "--tag")
    if everyone and (parsed_filters or parsed_tags):
        raise LivewhError("--all means every person: leave out --filter and --tag, or leave out --all.")
    if not everyone and not (parsed_filters or parsed_tags):
        raise LivewhError(
            "no --filter or --tag given: the audience would be every person in the warehouse. "
            "Choose people with --filter COLUMN=VALUE / --tag KEY=VALUE, or pass --all to export everyone."
        )
    with connect_read_only(db_path) as connection:
        needed = [SEGMENTS, IDENTIFIERS] + ([CUSTOMERS] if control_share > 0 else [])
        missing = [table for table in needed if not has_relation(connection, "main", table)]
        if missing:
            raise LivewhError(
                f"'{display(db_path)}' has no {', '.join('main.' + table for table in missing)}: "
                "audiences need the customer segment marts (build them first)."
            )
        where, parameters = build_where(connection, parsed_filters, parsed_tags)
        rows = connection.execute(audience_query(where), parameters).fetchall()
        held_out = control_group([str(row[0]) for row in rows], control_share, control_seed)
        accounts: dict[str, str] = {}
        if held_out:
            accounts = dict(
                connection.execute(
                    f"select {KEY}, primary_customer_id from main.{CUSTOMERS} "
                    f"where {KEY} in (select unnest(?::varchar[]))",
                    [sorted(held_out)],
                ).fetchall()
            )
        info = read_build_info(connection)
    pattern = re.compile(SHA256_PATTERN)
    for _, email, phone in rows:
        for value in (email, phone):
            if value is not None and not pattern.match(str(value)):
                raise LivewhError(
                    f"main.{IDENTIFIERS} holds a value that is not a SHA-256 hex digest; "
                    "refusing to write an "
                    "audience that could contain a clear identifier."
                )
    send = [row for row in rows if row[0] not in held_out]
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = out_dir / f"{name}.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([KEY, "email_sha256", "phone_sha256"])
        writer.writerows(send)
    control_path = out_dir / f"{name}.control.csv"
    if held_out:
        with control_path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([KEY, "customer_id"])
            writer.writerows([(key, accounts.get(key)) for key in sorted(held_out)])
    else:
        control_path.unlink(missing_ok=True)  # a previous run's control list would mislead
    customers = {row[0] for row in send}
    manifest = {
        "name": name,
        "filters": [f"{column}{operator}{value}" for column, operator, value in parsed_filters],
        "tags": [f"{key}={value}" for key, value in parsed_tags],
        "all": everyone,
        "customers": len(customers),
        "rows": len(send),
        "customers_with_email": len({row[0] for row in send if row[1]}),
        "customers_with_phone": len({row[0] for row in send if row[2]}),
        "identifier_format": IDENTIFIER_FORMAT,
        "file": csv_path.name,
        "sha256": sha256_of(csv_path),
        "selected_customers": len(customers) + len(held_out),
        "control_share": control_share,
        "control_seed": control_seed,
        "control_customers": len(held_out),
        "control_file": control_path.name if held_out else None,
        "control_sha256": sha256_of(control_path) if held_out else None,
        "source": str(db_path),
        "run_id": info.run_id if info else None,
        "observation_end": info.as_of_date.isoformat() if info and info.as_of_date else None,
        "created_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }
    manifest_path = out_dir / f"{name}.manifest.json"
    manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return AudienceResult(csv_path, manifest_path, manifest, control_path if held_out else None)
