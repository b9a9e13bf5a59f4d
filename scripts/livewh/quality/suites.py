"""The data-quality suites, declared as data.

To add a check to a mart, add a :class:`Suite` entry (or a check to an existing entry) in
``MART_SUITES`` below; nothing else needs to change. A suite names one relation
(``schema.table``), optionally a ``where`` filter (the checks then see only those rows), and a
list of checks built with the helpers below. Severity is per check: ``"error"`` (the default)
stops a build from publishing, ``"warning"`` is reported only. A suite whose relation does not
exist in the file is skipped (reported as skipped), so a suite can be declared before its mart.

Checks (all evaluated inside DuckDB, through great-expectations' SQL datasource):

- ``not_null(column)``, ``unique(column)``, ``unique_together(*columns)``
- ``in_set(column, values)``, ``between(column, min_value, max_value, strict_min=False)``
- ``columns_present(*columns)``, ``row_count_at_least(n)``
- ``sql(description, query)``: the query returns the offending rows (empty = pass); write the
  relation as ``{batch}``; literal braces as ``{{ }}``. Return few, explanatory rows (aggregate or
  ``limit``): the first rows are shown as samples.
- ``freshness(column)``: the latest value is not older than ``--freshness-days`` before the
  observation end (warning by default).

Besides the declared suites, generic suites are derived from what the file holds (see
``generic_suites``): raw views expose the contract's columns, every ``main`` column named like a
rate or share lies in [0, 1], the raw reconciliation adds up, and no text value in any relation
of the file (every schema; views over files aside, see ``exposure.py``) looks like a clear email
address or phone number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from livewh.enumerations import enum_values

Severity = Literal["error", "warning"]
CheckKind = Literal[
    "not_null",
    "unique",
    "unique_together",
    "in_set",
    "between",
    "columns_present",
    "row_count_at_least",
    "sql",
    "freshness",
]


@dataclass(frozen=True)
class Check:
    """One expectation, declared without touching great-expectations."""

    kind: CheckKind
    column: str | None = None
    columns: tuple[str, ...] = ()
    values: tuple[Any, ...] = ()
    min_value: Any = None
    max_value: Any = None
    strict_min: bool = False
    query: str | None = None
    description: str = ""
    severity: Severity = "error"

    @property
    def label(self) -> str:
        """Short name shown in the summary."""
        return self.description or self.kind

    def referenced_columns(self) -> tuple[str, ...]:
        """Columns the relation must have for this check to make sense."""
        named = (self.column,) if self.column else ()
        return named + self.columns


@dataclass(frozen=True)
class Suite:
    """Checks on one relation (optionally on the rows matching ``where``)."""

    name: str
    relation: str
    checks: tuple[Check, ...]
    where: str | None = None
    group: Literal["input", "mart"] = "mart"

    @property
    def schema(self) -> str:
        """Schema part of ``relation``."""
        return self.relation.split(".", 1)[0]

    @property
    def table(self) -> str:
        """Table part of ``relation``."""
        return self.relation.split(".", 1)[1]


# ---------------------------------------------------------------------------------------------
# Check helpers
# ---------------------------------------------------------------------------------------------


def not_null(column: str, severity: Severity = "error") -> Check:
    """Every row has a value in ``column``."""
    return Check("not_null", column=column, severity=severity)


def unique(column: str, severity: Severity = "error") -> Check:
    """No two rows share a value of ``column``."""
    return Check("unique", column=column, severity=severity)


def unique_together(*columns: str, severity: Severity = "error") -> Check:
    """No two rows share the combination of ``columns``."""
    return Check("unique_together", columns=tuple(columns), severity=severity)


def in_set(column: str, values: Iterable[Any], severity: Severity = "error") -> Check:
    """Every non-null value of ``column`` is one of ``values``."""
    return Check("in_set", column=column, values=tuple(values), severity=severity)


def between(
    column: str,
    min_value: Any = None,
    max_value: Any = None,
    *,
    strict_min: bool = False,
    severity: Severity = "error",
) -> Check:
    """Every non-null value of ``column`` lies in [min_value, max_value] (either bound optional)."""
    return Check(
        "between",
        column=column,
        min_value=min_value,
        max_value=max_value,
        strict_min=strict_min,
        severity=severity,
    )


def columns_present(*columns: str, severity: Severity = "error") -> Check:
    """The relation has (at least) these columns."""
    return Check("columns_present", columns=tuple(columns), severity=severity)


def row_count_at_least(minimum: int, severity: Severity = "error") -> Check:
    """The relation (after ``where``) has at least ``minimum`` rows."""
    return Check("row_count_at_least", min_value=minimum, severity=severity)


def sql(description: str, query: str, severity: Severity = "error") -> Check:
    """Custom SQL returning offending rows; ``{batch}`` stands for the relation."""
    return Check("sql", query=query, description=description, severity=severity)


def freshness(column: str, severity: Severity = "warning") -> Check:
    """The latest ``column`` is within ``--freshness-days`` of the observation end."""
    return Check("freshness", column=column, description=f"freshness of {column}", severity=severity)


# ---------------------------------------------------------------------------------------------
# Raw inputs: accepted rows of each contract table (after quarantine), see
# macros/validated_raw_tables.sql for the model holding each table's rows and their verdicts.
# ---------------------------------------------------------------------------------------------

ACCEPTED = "quarantine_reason is null"
# The enumerations are kept once, in dbt_project.yml (vars.enumerations; livewh.enumerations).
ORDER_STATUSES = enum_values("order_status")
EVENT_TYPES = enum_values("live_event_type")
IDENTIFIER_TYPES = enum_values("identifier_type")
#: a missing sales channel or platform is 'unknown' (staging), not one of the listed values
SALES_CHANNELS = enum_values("sales_channel", ("unknown",))
PLATFORMS = enum_values("platform", ("unknown",))
ACQUISITION_CHANNELS = enum_values("acquisition_channel")
QUARANTINE_REASONS = enum_values("quarantine_reason")
CAMPAIGN_CHANNELS = enum_values("campaign_channel")
CAMPAIGN_OBJECTIVES = enum_values("campaign_objective")

INPUT_SUITES: tuple[Suite, ...] = (
    Suite(
        "input.customers",
        "intermediate.int_customers_validated",
        where=ACCEPTED,
        group="input",
        checks=(
            row_count_at_least(1),
            not_null("customer_id"),
            not_null("created_at"),
            unique("customer_id"),
            in_set("acquisition_channel", ACQUISITION_CHANNELS),
        ),
    ),
    Suite(
        "input.customer_identifiers",
        "intermediate.int_customer_identifiers_validated",
        where=ACCEPTED,
        group="input",
        checks=(
            not_null("customer_id"),
            not_null("identifier_type"),
            not_null("identifier_sha256"),
            in_set("identifier_type", IDENTIFIER_TYPES),
        ),
    ),
    Suite(
        "input.products",
        "intermediate.int_products_validated",
        where=ACCEPTED,
        group="input",
        checks=(not_null("product_id"), not_null("category"), unique("product_id"), between("list_price", 0)),
    ),
    Suite(
        "input.orders",
        "intermediate.int_orders_validated",
        where=ACCEPTED,
        group="input",
        checks=(
            row_count_at_least(1),
            not_null("order_id"),
            not_null("customer_id"),
            not_null("ordered_at"),
            not_null("currency_code"),
            not_null("order_total"),
            unique("order_id"),
            in_set("order_status", ORDER_STATUSES),
            in_set("sales_channel", SALES_CHANNELS),
            between("order_total", 0),
            freshness("ordered_at"),
        ),
    ),
    Suite(
        "input.order_items",
        "intermediate.int_order_items_validated",
        where=ACCEPTED,
        group="input",
        checks=(
            not_null("order_id"),
            not_null("line_number"),
            not_null("product_id"),
            unique_together("order_id", "line_number"),
            between("quantity", 1),
            between("unit_price", 0),
        ),
    ),
    Suite(
        "input.refunds",
        "intermediate.int_refunds_validated",
        where=ACCEPTED,
        group="input",
        checks=(
            not_null("refund_id"),
            not_null("order_id"),
            not_null("refunded_at"),
            unique("refund_id"),
            between("refund_amount", 0, strict_min=True),
        ),
    ),
    Suite(
        "input.live_sessions",
        "intermediate.int_live_sessions_validated",
        where=ACCEPTED,
        group="input",
        checks=(
            not_null("session_id"),
            not_null("host_id"),
            unique("session_id"),
            in_set("platform", PLATFORMS),
            sql(
                "session ends after it starts",
                "select session_id, started_at, ended_at from {batch} where ended_at < started_at limit 5",
            ),
        ),
    ),
    Suite(
        "input.live_events",
        "intermediate.int_live_events_validated",
        where=ACCEPTED,
        group="input",
        checks=(
            not_null("event_id"),
            not_null("session_id"),
            not_null("viewer_id"),
            not_null("event_at"),
            unique("event_id"),
            in_set("event_type", EVENT_TYPES),
            between("amount", 0),
            freshness("event_at"),
        ),
    ),
    Suite(
        "input.stream_quality",
        "intermediate.int_stream_quality_samples_validated",
        where=ACCEPTED,
        group="input",
        checks=(
            not_null("session_id"),
            not_null("sampled_at"),
            not_null("latency_ms"),
            between("latency_ms", 0),
            between("freeze_ms", 0),
        ),
    ),
    Suite(
        "input.campaigns",
        "intermediate.int_campaigns_validated",
        where=ACCEPTED,
        group="input",
        checks=(
            not_null("campaign_id"),
            not_null("started_at"),
            unique("campaign_id"),
            in_set("channel", CAMPAIGN_CHANNELS),
            in_set("objective", CAMPAIGN_OBJECTIVES),
            sql(
                "campaign ends after it starts",
                "select campaign_id, started_at, ended_at from {batch} where ended_at < started_at limit 5",
            ),
        ),
    ),
    Suite(
        "input.campaign_messages",
        "intermediate.int_campaign_messages_validated",
        where=ACCEPTED,
        group="input",
        checks=(
            not_null("message_id"),
            not_null("campaign_id"),
            not_null("customer_id"),
            not_null("sent_at"),
            not_null("is_control"),
            unique("message_id"),
            sql(
                "nothing is delivered, opened or clicked before it is sent, nor for a control row",
                "select message_id from {batch} where delivered_at < sent_at or opened_at < sent_at "
                "or clicked_at < sent_at or (is_control and coalesce(delivered_at, opened_at, clicked_at) "
                "is not null) limit 5",
            ),
        ),
    ),
    Suite(
        "input.memberships",
        "intermediate.int_memberships_validated",
        where=ACCEPTED,
        group="input",
        checks=(
            not_null("customer_id"),
            not_null("member_tier"),
            not_null("started_at"),
            unique_together("customer_id", "started_at"),
            between("points_balance", 0),
            sql(
                "a spell ends after it starts",
                "select customer_id, started_at, ended_at from {batch} where ended_at < started_at limit 5",
            ),
        ),
    ),
    Suite(
        "input.fx_rates",
        "intermediate.int_fx_rates_validated",
        where=ACCEPTED,
        group="input",
        checks=(
            not_null("rate_date"),
            not_null("currency_code"),
            unique_together("currency_code", "rate_date"),
            between("usd_per_unit", 0, strict_min=True),
        ),
    ),
)

# ---------------------------------------------------------------------------------------------
# Marts: add entries here. Generic mart checks (rates in [0, 1], reconciliation, no clear
# personal data) are derived automatically and need no entry.
# ---------------------------------------------------------------------------------------------

MART_SUITES: tuple[Suite, ...] = (
    Suite(
        "mart.fct_quarantined_rows",
        "main.fct_quarantined_rows",
        checks=(
            not_null("table_name"),
            not_null("quarantine_reason"),
            in_set("quarantine_reason", QUARANTINE_REASONS),
        ),
    ),
    Suite(
        "mart.rpt_raw_reconciliation",
        "main.rpt_raw_reconciliation",
        checks=(
            unique("table_name"),
            between("raw_rows", 0),
            between("accepted_rows", 0),
            between("quarantined_rows", 0),
        ),
    ),
    Suite(
        "mart.rpt_fx_rate_gaps",
        "main.rpt_fx_rate_gaps",
        checks=(
            # A warning, not an error: a shop may knowingly sell in a currency it has no rates for;
            # the orders are quarantined (never converted at 1), and the build prints the messages.
            sql(
                "every order has an exchange rate",
                "select currency_code || ' ' || first_order_date || '..' || last_order_date || ' ' "
                "|| gap_reason || ' (' || quarantined_orders || ')' as missing_rates "
                "from {batch} order by currency_code, gap_reason",
                severity="warning",
            ),
        ),
    ),
    Suite(
        "mart.fct_campaign_messages",
        "main.fct_campaign_messages",
        checks=(
            unique("message_id"),
            not_null("customer_key"),
            not_null("is_control"),
            in_set("channel", CAMPAIGN_CHANNELS),
            in_set("objective", CAMPAIGN_OBJECTIVES),
            sql(
                "a control row was never delivered, opened or clicked",
                "select message_id from {batch} "
                "where is_control and (is_delivered or is_opened or is_clicked) limit 5",
            ),
        ),
    ),
    Suite(
        "mart.rpt_campaign_outcomes",
        "main.rpt_campaign_outcomes",
        checks=(
            unique_together("campaign_id", "window_days", "segment_type", "segment_value"),
            between("return_uplift", -1, 1),
            between("live_return_uplift", -1, 1),
            between("order_uplift", -1, 1),
            sql(
                "eligible messages never exceed messages, outcomes never exceed eligible messages",
                "select campaign_id, window_days, segment_type, segment_value from {batch} "
                "where treated_eligible > treated_messages or control_eligible > control_messages "
                "or treated_with_return > treated_eligible or control_with_return > control_eligible "
                "or treated_with_order > treated_with_return "
                "or treated_with_live_return > treated_with_return limit 5",
            ),
            sql(
                "an uplift lies inside its interval; no control group, no uplift",
                "select campaign_id, window_days, segment_type, segment_value from {batch} "
                "where (return_uplift is not null and not (return_uplift_lower <= return_uplift "
                "and return_uplift <= return_uplift_upper)) "
                "or (control_eligible = 0 and return_uplift is not null) "
                "or (not has_control_group and incremental_net_usd_per_1000_messages is not null) limit 5",
            ),
        ),
    ),
    Suite(
        "mart.rpt_live_reminder_funnel",
        "main.rpt_live_reminder_funnel",
        checks=(
            unique("session_id"),
            between("attendance_uplift", -1, 1),
            between("buyer_uplift", -1, 1),
            sql(
                "the funnel narrows: clicked <= opened <= delivered-or-reminded, attended <= people",
                "select session_id from {batch} where clicked > opened or opened > reminded_people "
                "or delivered > reminded_people or reminded_attended > reminded_people "
                "or control_attended > control_people or not_reminded_attended > not_reminded_people limit 5",
            ),
        ),
    ),
    Suite(
        "mart.rpt_member_repurchase",
        "main.rpt_member_repurchase",
        checks=(
            unique_together("comparison", "window_days"),
            in_set("comparison", ("raw", "stratified", "after_joining")),
            between("repurchase_difference", -1, 1),
            between("members_compared_share", 0, 1),
            sql(
                "one recommended comparison per window, and its interval holds the difference",
                "select window_days from {batch} group by window_days "
                "having count(*) filter (where is_recommended) != 1 "
                "or bool_or(repurchase_difference < difference_lower "
                "or repurchase_difference > difference_upper)",
            ),
        ),
    ),
    Suite(
        "mart.rpt_campaign_segment_moves",
        "main.rpt_campaign_segment_moves",
        checks=(
            in_set("stage_at_month_end", ("silent", "churned")),
            between("active_uplift", -1, 1),
            sql(
                "people active next month never exceed the people counted",
                "select campaign_id, month_end_date from {batch} where treated_active_next > treated_people "
                "or control_active_next > control_people limit 5",
            ),
        ),
    ),
    Suite(
        "mart.dim_customer_contact_hours",
        "main.dim_customer_contact_hours",
        checks=(
            unique("customer_key"),
            between("best_contact_hour_local", 0, 23),
            in_set("contact_hour_source", ("own_history", "market_best_hour", "none")),
        ),
    ),
    # Example for a later mart (a cohort table whose sizes must add up):
    # Suite(
    #     "mart.rpt_cohort_retention",
    #     "main.rpt_cohort_retention",
    #     checks=(
    #         sql("retained customers never exceed the cohort",
    #             "select * from {batch} where retained_customers > cohort_customers limit 5"),
    #         sql("segment shares add up to 1",
    #             "select segment_date, sum(customer_share) as total from {batch} "
    #             "group by all having abs(sum(customer_share) - 1) > 1e-9 limit 5"),
    #     ),
    # ),
)


# ---------------------------------------------------------------------------------------------
# Generic suites, derived from the relations and columns the file holds.
# ---------------------------------------------------------------------------------------------

#: Schemas whose text values must never look like clear personal data: every schema of the file.
#: Only views over files are exempt (they are the shop's files, read in place while a build runs;
#: the exposure check in ``exposure.py`` fails any that a published file would keep).
EXCLUDED_SCHEMAS = ("information_schema", "pg_catalog")
NUMERIC_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
    "REAL",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
)
#: Columns whose name looks like a rate but that are not a proportion (add names here).
RATE_NAME_EXCEPTIONS: frozenset[str] = frozenset({"fx_rate", "fx_usd_rate", "exchange_rate"})
#: Name endings of rates that are changes, not proportions (a month-over-month change can be
#: negative or above 1): they are not held to [0, 1].
CHANGE_RATE_SUFFIXES = ("_change_rate", "_growth_rate")

#: A clear email address anywhere in the value (RE2 syntax, DuckDB regexp_matches).
EMAIL_PATTERN = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
#: The shape of a phone number: international (``+`` then digits and separators, anywhere in the
#: value, e.g. inside a JSON record) or a whole value in a national layout with a trunk ``0`` and
#: separators, or the North-American layout. A bare run of digits is never flagged: it cannot be
#: told apart from an id. A match also needs 7 to 15 digits (E.164) and not to look like a date.
PHONE_PATTERN = (
    r"(^|[^0-9A-Za-z_+])\+[0-9][0-9 ().\-]{5,20}[0-9]"
    r"|^\(0[0-9]{1,4}\)[ .\-/]?[0-9]{2,}([ .\-][0-9]{2,})*$"
    r"|^0[0-9]{1,4}[ .\-/][0-9]{2,}([ .\-][0-9]{2,})*$"
    r"|^\(?[2-9][0-9]{2}\)?[ .\-][0-9]{3}[ .\-][0-9]{4}$"
)
DATE_LIKE_PATTERN = r"^[0-9]{1,4}[./\-][0-9]{1,2}[./\-][0-9]{1,4}$"


def email_condition(expression: str) -> str:
    """SQL: the value holds a clear email address."""
    return f"({expression} like '%@%' and regexp_matches({expression}, {_sql_string(EMAIL_PATTERN)}))"


def phone_condition(expression: str) -> str:
    """SQL: the value holds something shaped like a phone number with 7 to 15 digits."""
    found = f"regexp_extract({expression}, {_sql_string(PHONE_PATTERN)})"
    return (
        f"(regexp_matches({expression}, {_sql_string(PHONE_PATTERN)}) "
        f"and length(regexp_replace({found}, '[^0-9]', '', 'g')) between 7 and 15 "
        f"and not regexp_matches({expression}, {_sql_string(DATE_LIKE_PATTERN)}))"
    )


@dataclass
class Catalog:
    """Relations and their (column, type) in a warehouse file, keyed by ``schema.table``."""

    relations: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: ``schema.name`` of the views that read files (not scanned for personal data).
    file_readers: set[str] = field(default_factory=set)

    def has(self, relation: str) -> bool:
        """True when the relation exists."""
        return relation in self.relations

    def column_names(self, relation: str) -> list[str]:
        """Column names of a relation (empty when it does not exist)."""
        return [name for name, _ in self.relations.get(relation, [])]

    def in_schemas(self, schemas: Iterable[str]) -> list[str]:
        """Relations of the given schemas, sorted."""
        wanted = tuple(f"{schema}." for schema in schemas)
        return sorted(name for name in self.relations if name.startswith(wanted))


def is_rate_column(name: str, data_type: str) -> bool:
    """A numeric column whose name says it is a proportion: *_rate, *_share, share_of_*, pct_*.

    Not: names in RATE_NAME_EXCEPTIONS and change rates (*_change_rate, *_growth_rate).
    """
    lowered = name.lower()
    if lowered in RATE_NAME_EXCEPTIONS or lowered.endswith(CHANGE_RATE_SUFFIXES):
        return False
    if not data_type.upper().startswith(NUMERIC_TYPES):
        return False
    return (
        lowered.endswith(("_rate", "_share"))
        or lowered.startswith(("share_of_", "pct_"))
        or "_share_of_" in lowered
    )


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def as_batch_query(sql_text: str, placeholder: str = "__BATCH__") -> str:
    """A SQL text for great-expectations: braces escaped, ``placeholder`` turned into ``{batch}``."""
    return sql_text.replace("{", "{{").replace("}", "}}").replace(placeholder, "{batch}")


def pii_query(columns: list[str], sample_size: int = 3) -> str:
    """Offending (column, kind, rows, masked samples) for text columns, evaluated in DuckDB."""
    hits = []
    for column in columns:
        # cast: lists, structs, maps and JSON are scanned as their text form
        quoted = 'cast("' + column.replace('"', '""') + '" as varchar)'
        for kind, pattern, condition in (
            ("email", EMAIL_PATTERN, email_condition(quoted)),
            ("phone", PHONE_PATTERN, phone_condition(quoted)),
        ):
            hits.append(
                f"select {_sql_string(column)} as column_name, '{kind}' as looks_like, "
                f"regexp_extract({quoted}, {_sql_string(pattern)}) as found "
                f"from __BATCH__ where {condition}"
            )
    union = "\n union all ".join(hits)
    # Samples are masked: the check must not copy the personal data it found into its reports.
    return as_batch_query(
        f"select column_name, looks_like, count(*) as offending_rows, "
        f"list(left(trim(found), 3) || '***')[1:{sample_size}] as masked_samples "
        f"from ({union}) as hits group by all order by column_name, looks_like"
    )


def raw_view_suites(contract: Iterable[Any], catalog: Catalog) -> list[Suite]:
    """Each raw view raw.<table> exposes the contract's columns (required tables are non-empty)."""
    suites = []
    for table in contract:
        relation = f"raw.{table.name}"
        checks: list[Check] = [columns_present(*(column.name for column in table.columns))]
        if table.required:
            checks.append(row_count_at_least(1))
        suites.append(Suite(f"raw.{table.name}", relation, tuple(checks), group="input"))
    return [suite for suite in suites if catalog.has(suite.relation)]


def rate_suites(catalog: Catalog) -> list[Suite]:
    """Every rate/share column of a ``main`` relation lies in [0, 1]."""
    suites = []
    for relation in catalog.in_schemas(["main"]):
        rate_columns = [
            name for name, data_type in catalog.relations[relation] if is_rate_column(name, data_type)
        ]
        if rate_columns:
            checks = tuple(between(name, 0, 1) for name in rate_columns)
            suites.append(Suite(f"rates.{relation.split('.', 1)[1]}", relation, checks))
    return suites


def reconciliation_suite(catalog: Catalog) -> list[Suite]:
    """raw_rows = accepted_rows + quarantined_rows (+ erased_rows when the column exists)."""
    relation = "main.rpt_raw_reconciliation"
    if not catalog.has(relation):
        return []
    parts = ["accepted_rows", "quarantined_rows"]
    if "erased_rows" in catalog.column_names(relation):
        parts.append("erased_rows")
    total = " + ".join(f"coalesce({part}, 0)" for part in parts)
    query = (
        f"select table_name, raw_rows, {', '.join(parts)} from {{batch}} "
        f"where raw_rows is distinct from {total} order by table_name limit 20"
    )
    return [Suite("reconciliation", relation, (sql(f"raw_rows = {' + '.join(parts)}", query),))]


def is_text_column(data_type: str) -> bool:
    """VARCHAR, JSON, or a list, struct or map holding text (scanned cast to VARCHAR)."""
    upper = data_type.upper()
    return upper in {"VARCHAR", "JSON"} or ("VARCHAR" in upper and upper != "VARCHAR")


def pii_suites(catalog: Catalog) -> list[Suite]:
    """No text value of any relation (views over files aside) looks like a clear email or phone."""
    suites = []
    for relation in sorted(catalog.relations):
        if relation.split(".", 1)[0] in EXCLUDED_SCHEMAS or relation in catalog.file_readers:
            continue
        text_columns = [name for name, data_type in catalog.relations[relation] if is_text_column(data_type)]
        if text_columns:
            check = sql("no clear email or phone", pii_query(text_columns))
            suites.append(Suite(f"pii.{relation}", relation, (check,)))
    return suites


def generic_suites(contract: Iterable[Any], catalog: Catalog) -> list[Suite]:
    """All suites derived from the file's contents."""
    return [
        *raw_view_suites(contract, catalog),
        *rate_suites(catalog),
        *reconciliation_suite(catalog),
        *pii_suites(catalog),
    ]


def declared_suites() -> list[Suite]:
    """The suites declared in this module."""
    return [*INPUT_SUITES, *MART_SUITES]
