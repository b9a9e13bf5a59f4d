"""Pre-flight check of a raw data folder against the raw contract, before dbt runs.

The contract is read from ``models/staging/shop/_shop__sources.yml`` (source ``shop``: a table's
``meta.required``, a column's ``meta.required``), the same file the ``create_raw_views`` hook
reads, so the two can never disagree about what is required. The check finds every file-level
problem at once (not only the first) and names the table, the file and what is wrong:

- the folder is missing or is not a folder;
- a required table has neither ``<table>.parquet`` nor ``<table>.csv``;
- a table has both files;
- a file is not readable as CSV (UTF-8, header row, comma separated; every row is parsed, so
  a broken row far down the file is found) or as Parquet;
- a file lacks a required column (column names are matched case-insensitively).

Missing optional tables are fine: the warehouse reads them as empty relations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

from livewh.errors import LivewhError, RawDataError
from livewh.paths import SOURCES_YML, display

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


def _reader(path: Path, file_format: str) -> str:
    quoted = "'" + str(path).replace("'", "''") + "'"
    if file_format == "parquet":
        return f"read_parquet({quoted})"
    # The same options the create_raw_views hook uses, so what passes here reads there.
    return f"read_csv({quoted}, header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')"


def _inspect(
    connection: duckdb.DuckDBPyConnection, path: Path, file_format: str
) -> tuple[tuple[str, ...], int]:
    """Column names and row count of a raw file; raises duckdb.Error when it is unreadable."""
    reader = _reader(path, file_format)
    described = connection.execute(f"describe select * from {reader}").fetchall()
    columns = tuple(str(row[0]) for row in described)
    # count(*) parses every CSV row (a broken row anywhere fails here); for Parquet it reads the footer.
    (rows,) = connection.execute(f"select count(*) from {reader}").fetchone() or (0,)
    return columns, int(rows)


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
            files.append(RawFile(table.name, path, file_format, rows, columns))
    if problems:
        raise RawDataError(
            f"raw data folder '{display(raw_dir)}' breaks the raw contract:\n  - " + "\n  - ".join(problems)
        )
    return RawCheckReport(raw_dir, tuple(files), tuple(absent))
