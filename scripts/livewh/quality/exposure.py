"""What a warehouse file would expose to its readers beyond its own tables: views over files.

A view (or macro) whose definition reads files (``read_csv``, ``read_parquet``, ``read_json``,
``glob``, a quoted file path in ``FROM`` ...) re-reads those files every time a reader queries
it: on the build machine it returns whatever the raw folder holds (the shop's exports, with the
clear emails and phones of every account, erased ones included), on an analyst's machine it
fails. A file that readers open must hold none. Builds keep their ``raw.*`` views over the raw
files until publishing, which drops them (``livewh.publish.strip_raw_views``) and then requires
this scan to come back empty.

Clear emails and phones in the relations themselves are checked by the quality suites
(``suites.pii_suites``, every schema of the file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

#: Table functions that read files ...
FILE_FUNCTION = re.compile(
    r"\b(read_csv(?:_auto)?|read_tsv|csv_scan|sniff_csv|read_parquet|parquet_scan"
    r"|parquet_(?:metadata|schema|file_metadata|kv_metadata|bloom_probe)"
    r"|read_json(?:_auto|_objects(?:_auto)?)?|read_ndjson(?:_auto|_objects)?|read_text|read_blob"
    r"|read_xlsx|read_ipc|read_arrow|read_avro|read_duckdb|delta_scan|iceberg_scan|st_read|glob)\s*\(",
    re.IGNORECASE,
)
#: ... a quoted path used as a table (DuckDB's replacement scan: ``from 'orders.csv'``, which
#: DuckDB stores as ``FROM "orders.csv"``) ...
FILE_AS_TABLE = re.compile(
    r"\b(?:from|join)\s+('[^']*'|\"[^\"]*(?:\.[A-Za-z0-9]{1,8}|/)[^\"]*\")", re.IGNORECASE
)
#: ... or any string literal naming a data file.
FILE_LITERAL = re.compile(
    r"'[^']*\.(?:csv|tsv|txt|parquet|json|jsonl|ndjson|xlsx|arrow|avro)(?:\.(?:gz|zst))?'", re.IGNORECASE
)
#: Schema whose views read the raw files while a build runs (``macros/create_raw_views.sql``).
RAW_SCHEMA = "raw"


@dataclass(frozen=True)
class FileReader:
    """A view or macro of the file that reads files."""

    kind: str  # 'view' or 'macro'
    schema: str
    name: str
    evidence: str  # what matched, e.g. "read_csv(" or "'/data/orders.csv'"

    @property
    def relation(self) -> str:
        """``schema.name``."""
        return f"{self.schema}.{self.name}"

    @property
    def is_raw_view(self) -> bool:
        """A build's view over a raw file (``raw.<table>``), dropped when publishing."""
        return self.kind == "view" and self.schema == RAW_SCHEMA

    def describe(self) -> str:
        """One line for a message."""
        return f"{self.kind} {self.relation} reads files ({self.evidence.strip()})"


def reads_files(definition: str | None) -> str | None:
    """What in a SQL definition reads files (the first match, functions first), or None."""
    if not definition:
        return None
    function = FILE_FUNCTION.search(definition)
    if function:
        return function.group(1).lower() + "()"
    for pattern in (FILE_AS_TABLE, FILE_LITERAL):
        found = pattern.search(definition)
        if found:
            evidence = found.group(found.lastindex or 0)
            return evidence if len(evidence) <= 120 else evidence[:117] + "..."
    return None


def file_readers(connection: duckdb.DuckDBPyConnection) -> list[FileReader]:
    """Every view and macro of the file's own catalog whose definition reads files."""
    found: list[FileReader] = []
    views = connection.execute(
        "select schema_name, view_name, sql from duckdb_views() "
        "where not internal and database_name = current_database() order by schema_name, view_name"
    ).fetchall()
    for schema, name, definition in views:
        evidence = reads_files(definition)
        if evidence:
            found.append(FileReader("view", str(schema), str(name), evidence))
    macros = connection.execute(
        "select schema_name, function_name, string_agg(coalesce(macro_definition, ''), ' ') "
        "from duckdb_functions() where not internal and database_name = current_database() "
        "and function_type in ('macro', 'table_macro') group by all order by all"
    ).fetchall()
    for schema, name, definition in macros:
        evidence = reads_files(definition)
        if evidence:
            found.append(FileReader("macro", str(schema), str(name), evidence))
    return found
