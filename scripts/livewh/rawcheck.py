"""Pre-flight check of a raw data folder against the raw contract, before dbt runs.

The contract is read from ``models/staging/shop/_shop__sources.yml`` (source ``shop``: a table's
``meta.required``, a column's ``meta.required``), the same file the ``create_raw_views`` hook
reads, so the two can never disagree about what is required. The check finds every file-level
problem at once (not only the first) and names the table, the file and what is wrong:

- the folder is missing or is not a folder;
- a required table has neither ``<table>.parquet`` nor ``<table>.csv``;
- a table has both files;
- a file is not readable as CSV (UTF-8, header row, comma separated; every row is parsed, so
  a broken row far down the file is found) or as Parquet. Every line of a CSV file is first
  checked for its layout (``diagnose_csv``, stdlib ``csv``, about 30 MB/s), and the message
  names the line and what is wrong with it: an empty file, a row with more or fewer fields than
  the header (ragged, including the one trailing empty field too many that DuckDB's reader
  silently drops), a quoted field that is never closed (unbalanced quote), bytes that are not
  UTF-8;
- a file lacks a required column (column names are matched case-insensitively);
- a required table (``customers``, ``orders``) has no data rows (a header alone).

Missing optional tables are fine: the warehouse reads them as empty relations.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import yaml

from livewh import PROJECT_ROOT
from livewh.errors import LivewhError, RawDataError
from livewh.paths import SOURCES_YML, display

#: The shipped default FX rates (dbt seed) and the project file holding the dbt vars.
FX_SEED = PROJECT_ROOT / "seeds" / "fx_rates_default.csv"
DBT_PROJECT_YML = PROJECT_ROOT / "dbt_project.yml"

SOURCE_NAME = "shop"
FORMATS = ("parquet", "csv")


@dataclass(frozen=True)
class ContractColumn:
    """A column of the raw contract."""

    name: str
    required: bool


@dataclass(frozen=True)
class ContractTable:
    """A table of the raw contract and its columns."""

    name: str
    required: bool
    columns: tuple[ContractColumn, ...]

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Names of the columns every file of this table must have."""
        return tuple(column.name for column in self.columns if column.required)


@dataclass(frozen=True)
class RawFile:
    """A raw file that passed the check."""

    table: str
    path: Path
    file_format: str
    rows: int
    columns: tuple[str, ...]


@dataclass(frozen=True)
class RawCheckReport:
    """What the check found: the files read and the optional tables that are absent."""

    raw_dir: Path
    files: tuple[RawFile, ...]
    absent_optional: tuple[str, ...]

    def describe(self) -> str:
        """One line for the progress output."""
        total = sum(raw_file.rows for raw_file in self.files)
        line = f"{len(self.files)} file(s), {total:,} rows"
        if self.absent_optional:
            line += f"; absent optional tables (read as empty): {', '.join(self.absent_optional)}"
        return line


def load_contract(sources_yml: Path = SOURCES_YML) -> tuple[ContractTable, ...]:
    """The contract tables of source ``shop``, in file order."""
    try:
        document = yaml.safe_load(sources_yml.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise LivewhError(f"cannot read the raw contract {sources_yml}: {error}") from error
    for source in document.get("sources", []):
        if source.get("name") != SOURCE_NAME:
            continue
        tables = []
        for table in source.get("tables", []):
            columns = tuple(
                ContractColumn(str(column["name"]).lower(), bool((column.get("meta") or {}).get("required")))
                for column in table.get("columns", [])
            )
            required = bool((table.get("meta") or {}).get("required"))
            tables.append(ContractTable(str(table["name"]), required, columns))
        return tuple(tables)
    raise LivewhError(f"the raw contract {sources_yml} has no source named '{SOURCE_NAME}'")


def short_reason(error: Exception) -> str:
    """The useful part of a DuckDB reader error: one line, no hints and no option dump."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    first = re.sub(r"^[A-Za-z ]*Error: ", "", lines[0])
    if first.startswith("Error when sniffing file"):
        return (
            "could not detect a consistent comma-separated layout "
            "(rows with a different number of fields, or unbalanced quotes)"
        )
    if first.startswith("CSV Error on Line"):
        detail = next(
            (
                line
                for line in lines[1:]
                if not line.startswith(("Original Line", "Possible", "file =", "LINE "))
            ),
            "",
        )
        first = f"{first.replace('CSV Error on Line:', 'line')}: {detail}".rstrip(": ")
    first = first.split("\n")[0]
    return first if len(first) <= 240 else first[:237] + "..."


def reader_sql(path: Path, file_format: str) -> str:
    """SQL reading a raw file as the warehouse does (CSV: every value as text)."""
    quoted = "'" + str(path).replace("'", "''") + "'"
    if file_format == "parquet":
        return f"read_parquet({quoted})"
    # The same options the create_raw_views hook uses, so what passes here reads there.
    return f"read_csv({quoted}, header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')"


def _inspect(
    connection: duckdb.DuckDBPyConnection, path: Path, file_format: str
) -> tuple[tuple[str, ...], int]:
    """Column names and row count of a raw file; raises duckdb.Error when it is unreadable."""
    reader = reader_sql(path, file_format)
    described = connection.execute(f"describe select * from {reader}").fetchall()
    columns = tuple(str(row[0]) for row in described)
    # count(*) parses every CSV row (a broken row anywhere fails here); for Parquet it reads the footer.
    (rows,) = connection.execute(f"select count(*) from {reader}").fetchone() or (0,)
    return columns, int(rows)


def is_empty_file(path: Path) -> bool:
    """True for a file with no bytes, or only whitespace (no header row)."""
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 16):
            if chunk.strip():
                return False
    return True


def _undecodable_line(path: Path) -> str | None:
    """Where the first byte that is not UTF-8 is, or None when the whole file decodes.

    Line by line: a UTF-8 character never contains the byte of a line break.
    """
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as error:
                return f"line {number}: byte 0x{line[error.start]:02x} is not UTF-8 (save the file as UTF-8)"
    return None


def diagnose_csv(path: Path) -> str | None:
    """The first line of a CSV file that breaks the layout, and what is wrong with it; None if none.

    Reads the file as the warehouse does (UTF-8, comma, double quotes doubled inside quoted
    fields). Line numbers are the file's lines (the header is line 1), as an editor shows them.
    """
    if is_empty_file(path):
        return "the file is empty: not even a header row"
    undecodable = _undecodable_line(path)
    if undecodable:
        return undecodable
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter=",", quotechar='"', doublequote=True, strict=True)
        header: list[str] | None = None
        row_start = 1
        try:
            for row in reader:
                if header is None:
                    header = row
                elif row and len(row) != len(header):
                    hint = (
                        "a value holding a comma must be quoted"
                        if len(row) > len(header)
                        else "a field is missing"
                    )
                    return (
                        f"line {row_start}: {len(row)} field(s) where the header has {len(header)} "
                        f"(a ragged row: {hint})"
                    )
                row_start = reader.line_num + 1
        except csv.Error as error:
            if "unexpected end of data" in str(error) or reader.line_num > row_start:
                return (
                    f"line {row_start}: a quoted field opens here and is never closed (unbalanced "
                    'quote; a quote inside a quoted value must be doubled: "")'
                )
            return f"line {reader.line_num}: {error}"
    return None


def _not_comma_hint(columns: tuple[str, ...]) -> str:
    if len(columns) == 1 and any(separator in columns[0] for separator in (";", "\t", "|")):
        return " (the header has a single column: the file does not look comma-separated)"
    return ""


def check_raw_folder(raw_dir: Path, contract: tuple[ContractTable, ...] | None = None) -> RawCheckReport:
    """Check a raw data folder; raise RawDataError listing every problem, or return what was found."""
    contract = contract if contract is not None else load_contract()
    if not raw_dir.exists():
        raise RawDataError(
            f"raw data folder '{display(raw_dir)}' does not exist. Pass --raw-dir (or set LIVEWH_RAW_DIR) "
            "to a folder holding customers.csv|parquet and orders.csv|parquet."
        )
    if not raw_dir.is_dir():
        raise RawDataError(f"raw data folder '{display(raw_dir)}' is not a folder.")

    problems: list[str] = []
    files: list[RawFile] = []
    absent: list[str] = []
    with duckdb.connect(":memory:") as connection:
        for table in contract:
            present = [(raw_dir / f"{table.name}.{fmt}", fmt) for fmt in FORMATS]
            present = [(path, fmt) for path, fmt in present if path.is_file()]
            if len(present) > 1:
                names = " and ".join(display(path) for path, _ in present)
                problems.append(
                    f"raw table '{table.name}': both {names} exist; keep only one file per table."
                )
                continue
            if not present:
                if table.required:
                    problems.append(
                        f"raw table '{table.name}' is required but neither {table.name}.parquet nor "
                        f"{table.name}.csv exists in '{display(raw_dir)}'."
                    )
                else:
                    absent.append(table.name)
                continue
            path, file_format = present[0]
            label = f"raw table '{table.name}' ({display(path)})"
            # every CSV line is checked for its layout first: DuckDB's reader tolerates a row with one
            # trailing empty field too many (it drops it, shifting nothing back), the check does not
            layout_problem = diagnose_csv(path) if file_format == "csv" else None
            if layout_problem:
                problems.append(f"{label}: not a valid CSV file: {layout_problem}")
                continue
            try:
                columns, rows = _inspect(connection, path, file_format)
            except duckdb.Error as error:
                kind = "CSV" if file_format == "csv" else "Parquet"
                problems.append(f"{label}: not a valid {kind} file: {short_reason(error)}")
                continue
            found = {column.lower() for column in columns}
            missing = [name for name in table.required_columns if name not in found]
            if missing:
                problems.append(
                    f"{label}: required column(s) missing: {', '.join(missing)}. "
                    f"Columns found: {', '.join(columns)}{_not_comma_hint(columns)}."
                )
                continue
            if table.required and rows == 0:
                problems.append(
                    f"{label}: has a header but no data rows; '{table.name}' is required and needs at "
                    "least one row."
                )
                continue
            files.append(RawFile(table.name, path, file_format, rows, columns))
    if problems:
        raise RawDataError(
            f"raw data folder '{display(raw_dir)}' breaks the raw contract:\n  - " + "\n  - ".join(problems)
        )
    return RawCheckReport(raw_dir, tuple(files), tuple(absent))


def first_order_date(report: RawCheckReport) -> date | None:
    """The UTC date of the earliest order the warehouse can accept, as far as the raw files tell.

    An approximation of "the first accepted order", computed before dbt runs, from the orders
    file and what it refers to: the earliest ``ordered_at`` (offsets converted to UTC, none = UTC,
    as staging reads it) among rows that have an ``order_id``, a ``customer_id`` found in the
    customers file, an ``order_total`` that is a number of at least 0, and a currency that is USD
    or has a rate (in the shipped seed or the shop's ``fx_rates`` file) on the order's UTC date
    or at most ``fx_max_staleness_days`` before. Each test is as lenient as the warehouse's or
    more, and the rest of the validation (duplicate keys, status values, erased accounts) is not
    repeated, so the date can only be too early, never too late: an observation end before it is
    certainly before every accepted order. None when no order passes.
    """
    files = {raw_file.table: raw_file for raw_file in report.files}
    orders, customers = files.get("orders"), files.get("customers")
    if orders is None or customers is None:
        return None

    def column(raw_file: RawFile, name: str) -> str:
        found = {column.lower(): column for column in raw_file.columns}
        return f"nullif(trim(cast({_quote(found[name])} as varchar)), '')"

    rate_sources = [f"select currency, rate_date from read_csv({_sql_path(FX_SEED)}, all_varchar = true)"]
    if "fx_rates" in files:
        shop_rates = files["fx_rates"]
        rate_sources.append(
            f"select {column(shop_rates, 'currency')}, {column(shop_rates, 'rate_date')} "
            f"from {reader_sql(shop_rates.path, shop_rates.file_format)}"
        )
    query = f"""
        with
        orders as (
            select
                {column(orders, "order_id")} as order_id,
                lower({column(orders, "customer_id")}) as customer_id,
                cast(timezone('UTC', try_cast({column(orders, "ordered_at")} as timestamptz)) as date)
                    as order_date,
                upper({column(orders, "currency")}) as currency,
                try_cast({column(orders, "order_total")} as double) as order_total
            from {reader_sql(orders.path, orders.file_format)}
        ),
        customers as (
            select distinct lower({column(customers, "customer_id")}) as customer_id
            from {reader_sql(customers.path, customers.file_format)}
        ),
        rates as (
            select upper(trim(currency)) as currency, try_cast(trim(rate_date) as date) as rate_date
            from ({" union all ".join(rate_sources)}) as sources(currency, rate_date)
        )
        select min(orders.order_date)
        from orders
        where orders.order_id is not null
            and orders.order_date is not null
            and orders.order_total >= 0
            and orders.customer_id in (select customers.customer_id from customers)
            and (
                orders.currency = 'USD'
                or exists (
                    select 1 from rates
                    where rates.currency = orders.currency
                        and rates.rate_date between orders.order_date - {fx_max_staleness_days()}
                            and orders.order_date
                )
            )
    """
    with duckdb.connect(":memory:") as connection:
        connection.execute("set TimeZone = 'UTC'")  # a timestamp without an offset is UTC
        (first,) = connection.execute(query).fetchone() or (None,)
    return first


def fx_max_staleness_days() -> int:
    """The ``fx_max_staleness_days`` var of ``dbt_project.yml`` (7 when it is not set)."""
    try:
        project = yaml.safe_load(DBT_PROJECT_YML.read_text(encoding="utf-8")) or {}
        return int((project.get("vars") or {}).get("fx_max_staleness_days", 7))
    except (OSError, ValueError, TypeError, yaml.YAMLError):
        return 7


def _sql_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
