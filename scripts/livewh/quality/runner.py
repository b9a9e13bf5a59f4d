"""Run the quality suites on a warehouse file with great-expectations, inside DuckDB.

Each suite becomes a great-expectations (GE) ExpectationSuite validated against a query asset
(``select * from <relation> [where <filter>]``) of a SQL datasource on the DuckDB file, opened
read-only. GE turns every expectation into aggregate SQL that DuckDB evaluates; only metrics and
a few sample values come back to Python (see ``engine.py`` for the buffering fix that makes GE's
SQL datasource return them at all with duckdb-engine).

Column checks run with GE's SUMMARY result format (counts and up to five sample values); SQL
checks run in a separate validation with COMPLETE so their (few, aggregated) rows come back as
samples. Results are stored in GE's validation store, from which the HTML Data Docs are built.
"""

from __future__ import annotations

import contextlib
import gc
import json
import re
import shutil
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from livewh.errors import LivewhError
from livewh.progress import Step
from livewh.quality import suites as declared
from livewh.quality.engine import duckdb_result_buffering
from livewh.quality.exposure import FileReader, file_readers
from livewh.quality.report import CheckOutcome, QualityReport, json_default, sample_text
from livewh.quality.suites import Catalog, Check, Suite
from livewh.rawcheck import load_contract
from livewh.warehouse import connect_read_only, observation_end, quote, sql_string

DEFAULT_FRESHNESS_DAYS = 7
SAMPLE_COUNT = 5
SUMMARY_FORMAT: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_COUNT}
COMPLETE_FORMAT: dict[str, Any] = {"result_format": "COMPLETE"}
PROGRESS_SECONDS = 5.0


@dataclass(frozen=True)
class QualityOptions:
    """How to run the checks."""

    db_path: Path
    out_dir: Path
    as_of: date | None = None
    freshness_days: int = DEFAULT_FRESHNESS_DAYS
    #: A build before publishing keeps its views ``raw.*`` over the raw files (publishing drops
    #: them and checks again); any other file, and any other view over files, fails the check.
    raw_views_allowed: bool = False


@dataclass(frozen=True)
class PlannedCheck:
    """A check bound to its suite, with a stable id to find its GE result again."""

    check_id: str
    suite: Suite
    check: Check


def load_catalog(db_path: Path) -> tuple[Catalog, list[str], date | None, list[FileReader]]:
    """Relations and columns of the file, raw views that cannot be read now, the observation end,
    and the views and macros that read files."""
    catalog = Catalog()
    unreadable: list[str] = []
    with connect_read_only(db_path) as connection:
        readers = file_readers(connection)
        catalog.file_readers = {reader.relation for reader in readers if reader.kind == "view"}
        rows = connection.execute(
            """
            select table_schema, table_name, column_name, data_type
            from information_schema.columns
            where table_catalog = current_database()
                and table_schema not in ('information_schema', 'pg_catalog')
            order by table_schema, table_name, ordinal_position
            """
        ).fetchall()
        for schema, table, column, data_type in rows:
            catalog.relations.setdefault(f"{schema}.{table}", []).append((str(column), str(data_type)))
        for relation in catalog.in_schemas(["raw"]):
            schema, table = relation.split(".", 1)
            try:
                connection.execute(f"select * from {quote(schema)}.{quote(table)} limit 0").fetchall()
            except duckdb.Error as error:
                unreadable.append(f"{relation} ({str(error).splitlines()[0][:120]})")
        as_of, _ = observation_end(connection)
    return catalog, unreadable, as_of, readers


EXPOSURE_SUITE = "exposure"
EXPOSURE_CHECK = "no view or macro reads files"


def exposure_outcomes(readers: list[FileReader], raw_views_allowed: bool) -> list[CheckOutcome]:
    """The verdict on views and macros over files (see ``exposure.py``): one outcome per finding."""
    outcomes = []
    allowed = [reader for reader in readers if raw_views_allowed and reader.is_raw_view]
    for reader in readers:
        if reader in allowed:
            continue
        hint = (
            " (a build's raw view, which publishing drops: pass --allow-raw-views to check a build)"
            if reader.is_raw_view
            else ""
        )
        outcomes.append(
            CheckOutcome(
                EXPOSURE_SUITE,
                reader.relation,
                None,
                EXPOSURE_CHECK,
                "error",
                "failed",
                f"{reader.describe()}: readers querying it would read those files{hint}",
            )
        )
    if not outcomes:
        message = "no view or macro reads files"
        if allowed:
            message = (
                f"only the build's {len(allowed)} raw view(s) read files; publishing drops them "
                "and checks again"
            )
        outcomes.append(
            CheckOutcome(EXPOSURE_SUITE, "(file)", None, EXPOSURE_CHECK, "error", "passed", message)
        )
    return outcomes


def plan(
    catalog: Catalog, as_of: date | None, freshness_days: int
) -> tuple[list[PlannedCheck], list[CheckOutcome], list[str]]:
    """Checks to run, checks already decided (missing columns, no observation end), skipped suites."""
    planned: list[PlannedCheck] = []
    decided: list[CheckOutcome] = []
    skipped: list[str] = []
    all_suites = [*declared.declared_suites(), *declared.generic_suites(load_contract(), catalog)]
    for suite in all_suites:
        if not catalog.has(suite.relation):
            skipped.append(f"{suite.name} ({suite.relation} does not exist)")
            continue
        present = set(catalog.column_names(suite.relation))
        for index, check in enumerate(suite.checks):
            column = check.column or (", ".join(check.columns) if check.kind != "columns_present" else None)
            missing = [name for name in check.referenced_columns() if name not in present]
            if missing and check.kind != "columns_present":
                decided.append(
                    CheckOutcome(
                        suite.name,
                        suite.relation,
                        column,
                        check.label,
                        check.severity,
                        "failed",
                        f"column(s) not found: {', '.join(missing)}",
                    )
                )
                continue
            if check.kind == "freshness":
                if as_of is None:
                    decided.append(
                        CheckOutcome(
                            suite.name,
                            suite.relation,
                            column,
                            check.label,
                            check.severity,
                            "skipped",
                            "no observation end",
                        )
                    )
                    continue
                check = freshness_as_sql(check, as_of, freshness_days)
            planned.append(PlannedCheck(f"{suite.name}#{index}", suite, check))
    return planned, decided, skipped


def freshness_as_sql(check: Check, as_of: date, days: int) -> Check:
    """The freshness check as SQL: a row (the latest value) when it is older than allowed."""
    assert check.column is not None
    column = quote(check.column)
    oldest_allowed = as_of - timedelta(days=days)
    query = (
        f"select max({column}) as latest, date {sql_string(as_of.isoformat())} as observation_end "
        f"from {{batch}} having max({column}) < timestamp {sql_string(oldest_allowed.isoformat())}"
    )
    return replace(check, kind="sql", query=query, description=f"freshness ({days}d) of {check.column}")


def to_expectation(planned: PlannedCheck) -> Any:
    """The great-expectations Expectation for a planned check."""
    import great_expectations.expectations as gxe
    from great_expectations.expectations.metadata_types import FailureSeverity

    check = planned.check
    common: dict[str, Any] = {
        "meta": {"livewh_id": planned.check_id, "severity": check.severity, "check": check.label},
        "severity": FailureSeverity.CRITICAL if check.severity == "error" else FailureSeverity.WARNING,
    }
    if check.kind == "not_null":
        return gxe.ExpectColumnValuesToNotBeNull(column=check.column, **common)
    if check.kind == "unique":
        return gxe.ExpectColumnValuesToBeUnique(column=check.column, **common)
    if check.kind == "unique_together":
        return gxe.ExpectCompoundColumnsToBeUnique(column_list=list(check.columns), **common)
    if check.kind == "in_set":
        return gxe.ExpectColumnValuesToBeInSet(column=check.column, value_set=list(check.values), **common)
    if check.kind == "between":
        return gxe.ExpectColumnValuesToBeBetween(
            column=check.column,
            min_value=check.min_value,
            max_value=check.max_value,
            strict_min=check.strict_min,
            **common,
        )
    if check.kind == "columns_present":
        return gxe.ExpectTableColumnsToMatchSet(column_set=list(check.columns), exact_match=False, **common)
    if check.kind == "row_count_at_least":
        return gxe.ExpectTableRowCountToBeBetween(min_value=check.min_value, **common)
    if check.kind == "sql":
        return gxe.UnexpectedRowsExpectation(
            unexpected_rows_query=check.query, description=check.label, **common
        )
    raise ValueError(f"unknown check kind {check.kind!r}")


def exception_message(info: Any) -> str | None:
    """The first exception message in a GE exception_info (flat or keyed by metric)."""
    if isinstance(info, dict):
        if info.get("raised_exception") and info.get("exception_message"):
            return str(info["exception_message"]).splitlines()[0][:300]
        for value in info.values():
            found = exception_message(value)
            if found:
                return found
    return None


def interpret(planned: PlannedCheck, result: Any) -> CheckOutcome:
    """Turn a GE ExpectationValidationResult into a CheckOutcome with a readable message."""
    check = planned.check
    suite = planned.suite
    column = check.column or (", ".join(check.columns) if check.kind == "unique_together" else None)
    body: dict[str, Any] = result.result or {}
    error = exception_message(result.exception_info)
    status = "passed" if result.success else "failed"
    samples: tuple[str, ...] = ()
    message = ""
    if error:
        status, message = "failed", f"could not be evaluated: {error}"
    elif check.kind in {"not_null", "unique", "unique_together", "in_set", "between"}:
        unexpected = body.get("unexpected_count")
        total = body.get("element_count")
        if unexpected is None and result.success:
            message = "no rows to check"
        elif unexpected is None:
            status, message = "failed", "no result came back from the database"
        else:
            what = {
                "not_null": "null",
                "unique": "duplicated",
                "unique_together": "duplicated",
                "in_set": f"outside {{{', '.join(map(str, check.values))}}}",
                "between": f"outside {bounds(check)}",
            }[check.kind]
            message = f"{unexpected} of {total} rows {what}"
            samples = tuple(
                sample_text(value) for value in (body.get("partial_unexpected_list") or [])[:SAMPLE_COUNT]
            )
    elif check.kind == "columns_present":
        missing = ((body.get("details") or {}).get("mismatched") or {}).get("missing") or []
        message = f"missing column(s): {', '.join(missing)}" if missing else "all contract columns present"
    elif check.kind == "row_count_at_least":
        message = f"{body.get('observed_value')} rows (expected at least {check.min_value})"
        if body.get("observed_value") is None:
            status = "failed"
    elif check.kind == "sql":
        rows = (body.get("details") or {}).get("unexpected_rows") or []
        count = body.get("observed_value")
        if count is None:
            status, message = "failed", "no result came back from the database"
        elif rows and all(set(row) >= PII_KEYS for row in rows):
            column, message, samples = describe_pii(rows)
        else:
            message = f"{count} offending row(s)" if count else "no offending rows"
            samples = tuple(sample_text(row) for row in rows[:SAMPLE_COUNT])
    return CheckOutcome(
        suite.name, suite.relation, column, check.label, check.severity, status, message, samples
    )


PII_KEYS = {"column_name", "looks_like", "offending_rows", "masked_samples"}


def describe_pii(rows: list[dict[str, Any]]) -> tuple[str, str, tuple[str, ...]]:
    """(columns, message, masked samples) from the rows of the personal-data query."""
    columns = ", ".join(dict.fromkeys(str(row["column_name"]) for row in rows))
    parts = [
        f"{row['column_name']}: {row['offending_rows']} value(s) look like a clear {row['looks_like']}"
        for row in rows
    ]
    samples = tuple(str(value) for row in rows for value in (row["masked_samples"] or []))
    return columns, "; ".join(parts), samples[:SAMPLE_COUNT]


def bounds(check: Check) -> str:
    """[min, max] as text, with open ends shown as -inf/+inf."""
    low = "(" if check.strict_min else "["
    lower = "-inf" if check.min_value is None else str(check.min_value)
    upper = "+inf" if check.max_value is None else str(check.max_value)
    return f"{low}{lower}, {upper}]"


def _asset_name(suite: Suite, suffix: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", f"{suite.name}{suffix}")


def run_quality(options: QualityOptions, step: Step | None = None) -> QualityReport:
    """Run every suite on ``options.db_path``; write results.json and Data Docs into ``out_dir``."""
    started = time.monotonic()
    catalog, unreadable_raw, stamped_as_of, readers = load_catalog(options.db_path)
    as_of = options.as_of or stamped_as_of
    if unreadable_raw:
        for relation in list(catalog.relations):
            if any(entry.startswith(relation + " ") for entry in unreadable_raw):
                del catalog.relations[relation]
    planned, decided, skipped = plan(catalog, as_of, options.freshness_days)
    skipped += [f"{entry}: raw file not readable now" for entry in unreadable_raw]
    decided += exposure_outcomes(readers, options.raw_views_allowed)
    report = QualityReport(options.db_path, options.out_dir, list(decided), skipped, as_of)
    if options.out_dir.exists():
        shutil.rmtree(options.out_dir)
    options.out_dir.mkdir(parents=True)

    with warnings.catch_warnings(), duckdb_result_buffering():
        warnings.simplefilter("ignore")
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        context.add_data_docs_site(
            site_name="livewh",
            site_config={
                "class_name": "SiteBuilder",
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(options.out_dir / "data_docs"),
                },
            },
        )
        datasource = context.data_sources.add_sql(
            name="warehouse",
            connection_string=f"duckdb:///{options.db_path}",
            kwargs={"connect_args": {"read_only": True}},
        )
        try:
            by_suite: dict[str, list[PlannedCheck]] = {}
            for item in planned:
                by_suite.setdefault(item.suite.name, []).append(item)
            validations_dir = options.out_dir / "validations"
            validations_dir.mkdir()
            last_note = time.monotonic()
            for number, (suite_name, items) in enumerate(by_suite.items(), start=1):
                suite = items[0].suite
                if step is not None and time.monotonic() - last_note >= PROGRESS_SECONDS:
                    last_note = time.monotonic()
                    step.note(f"suite {number} of {len(by_suite)}: {suite_name}")
                for suffix, group, result_format in (
                    ("", [item for item in items if item.check.kind != "sql"], SUMMARY_FORMAT),
                    (".sql", [item for item in items if item.check.kind == "sql"], COMPLETE_FORMAT),
                ):
                    if group:
                        report.outcomes += _validate(
                            context, datasource, suite, suffix, group, result_format, validations_dir
                        )
            context.build_data_docs(site_names=["livewh"])
        finally:
            _dispose(datasource)
    report.elapsed_seconds = time.monotonic() - started
    report.write_json()
    return report


def _validate(
    context: Any,
    datasource: Any,
    suite: Suite,
    suffix: str,
    items: list[PlannedCheck],
    result_format: dict[str, Any],
    validations_dir: Path,
) -> list[CheckOutcome]:
    """Validate one GE suite (the checks of one kind of one Suite) and interpret its results."""
    import great_expectations as gx

    name = _asset_name(suite, suffix)
    # A query asset for every suite: one code path, and no schema_name (deprecated in GE 1.x).
    query = f"select * from {quote(suite.schema)}.{quote(suite.table)}"
    if suite.where:
        query += f" where {suite.where}"
    asset = datasource.add_query_asset(name=name, query=query)
    batch_definition = asset.add_batch_definition_whole_table(f"{name}_all")
    ge_suite = context.suites.add(gx.ExpectationSuite(name=f"{suite.name}{suffix}"))
    for item in items:
        ge_suite.add_expectation(to_expectation(item))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{name}_validation", data=batch_definition, suite=ge_suite)
    )
    try:
        result = definition.run(result_format=result_format)
    except Exception as error:  # a GE failure must not hide the other suites' results
        message = f"could not be evaluated: {type(error).__name__}: {str(error).splitlines()[0][:200]}"
        return [
            CheckOutcome(
                suite.name,
                suite.relation,
                item.check.column,
                item.check.label,
                item.check.severity,
                "failed",
                message,
            )
            for item in items
        ]
    (validations_dir / f"{name}.json").write_text(
        json.dumps(result.to_json_dict(), indent=2, default=json_default), encoding="utf-8"
    )
    by_id = {item.check_id: item for item in items}
    outcomes = []
    for expectation_result in result.results:
        check_id = (expectation_result.expectation_config.meta or {}).get("livewh_id")
        if check_id in by_id:
            outcomes.append(interpret(by_id.pop(check_id), expectation_result))
    for item in by_id.values():
        outcomes.append(
            CheckOutcome(
                suite.name,
                suite.relation,
                item.check.column,
                item.check.label,
                item.check.severity,
                "failed",
                "no result",
            )
        )
    return outcomes


def _dispose(datasource: Any) -> None:
    """Close every pooled DuckDB connection GE opened, so the file is free for the next step."""
    for engine in (datasource.get_execution_engine().engine, datasource.get_engine()):
        with contextlib.suppress(Exception):  # best effort: the process may be shutting down
            engine.dispose()
    gc.collect()


def require_existing(db_path: Path) -> None:
    """A clear error when the file to check does not exist."""
    if not db_path.is_file():
        raise LivewhError(f"no warehouse file at '{db_path}'. Build one first or pass --db PATH.")


def relations_checked(report: QualityReport) -> Iterable[str]:
    """Relations with at least one check that ran."""
    return sorted({outcome.relation for outcome in report.outcomes if outcome.status != "skipped"})
