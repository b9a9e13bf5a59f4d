"""Small helpers around a warehouse file: read-only connections, its relations, its build stamp.

Readers always open the published file read-only: DuckDB lets any number of read-only
processes share a file, and a read-only reader never blocks a build (builds write a fresh file
and swap it in). ``main.warehouse_build_info`` is the build stamp written at the end of every
``livewh build``: one row saying which run built the file, when, from which raw folder and for
which observation end.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from livewh import __version__
from livewh.errors import LivewhError
from livewh.paths import display

BUILD_INFO = "warehouse_build_info"
#: The storage format every build file is created with: DuckDB 1.4 (the long-term release most BI
#: drivers and DuckDB CLIs still use) cannot open the default format of DuckDB 2.0 ("version
#: 999"). The format is fixed when a file is created and kept by every later write, so only the
#: connection that creates a build file needs it (``create_build_file``).
STORAGE_COMPATIBILITY_VERSION = "v1.4.0"
#: dbt model holding the observation end the marts were computed at (one row).
OBSERVATION_END_RELATION = ("intermediate", "int_observation_end")


@dataclass(frozen=True)
class Relation:
    """A table or view of the warehouse."""

    schema: str
    name: str
    kind: str  # 'table' or 'view'

    @property
    def qualified(self) -> str:
        """``schema.name``, quoted for SQL."""
        return f"{quote(self.schema)}.{quote(self.name)}"

    def __str__(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True)
class BuildInfo:
    """The build stamp of a warehouse file (``main.warehouse_build_info``)."""

    run_id: str
    built_at: datetime
    raw_data_dir: str
    as_of_date: date | None
    as_of_date_source: str | None
    dbt_version: str
    duckdb_version: str
    livewh_version: str
    dbt_selection: str | None = None
    #: digest of the project files an incremental build cannot see change (macros, seeds,
    #: dbt_project.yml) and of the livewh version; a build starts over when it differs
    project_fingerprint: str | None = None
    #: 'full' (built from an empty file) or 'incremental' (started from the published file)
    build_mode: str | None = None


def quote(identifier: str) -> str:
    """A SQL identifier in double quotes."""
    return '"' + identifier.replace('"', '""') + '"'


def sql_string(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


@contextmanager
def connect_read_only(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open a warehouse file read-only, with a clear error when it is missing or locked."""
    if not db_path.exists():
        raise LivewhError(
            f"no warehouse file at '{display(db_path)}'. Build one with `livewh build` or pass --db PATH."
        )
    try:
        connection = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as error:
        raise LivewhError(f"cannot open '{display(db_path)}' read-only: {lock_hint(error)}") from error
    try:
        yield connection
    finally:
        connection.close()


def create_build_file(db_path: Path) -> None:
    """Create an empty warehouse file in the storage format DuckDB 1.4 clients can read."""
    if db_path.exists():
        raise LivewhError(f"'{display(db_path)}' already exists; a build starts from a new file.")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    config = {"storage_compatibility_version": STORAGE_COMPATIBILITY_VERSION}
    with duckdb.connect(str(db_path), config=config) as connection:
        connection.execute("checkpoint")


def lock_hint(error: Exception) -> str:
    """Explain a DuckDB open error; a lock conflict means a read-write connection holds the file."""
    text = str(error).splitlines()[0]
    if "lock" in text.lower():
        return (
            f"{text}. Another process holds the file open read-write; close it "
            "(readers should connect read-only, see README 'Connecting')."
        )
    return text


def relations(connection: duckdb.DuckDBPyConnection, schemas: tuple[str, ...]) -> list[Relation]:
    """Tables and views of the given schemas in the file's own catalog, ordered by schema and name."""
    placeholders = ", ".join("?" for _ in schemas)
    rows = connection.execute(
        f"""
        select table_schema, table_name, table_type
        from information_schema.tables
        where table_catalog = current_database() and table_schema in ({placeholders})
        order by table_schema, table_name
        """,
        list(schemas),
    ).fetchall()
    return [Relation(schema, name, "view" if kind == "VIEW" else "table") for schema, name, kind in rows]


def columns(connection: duckdb.DuckDBPyConnection, schema: str, name: str) -> list[tuple[str, str]]:
    """(column name, data type) of one relation, in order."""
    return [
        (str(column), str(data_type))
        for column, data_type in connection.execute(
            """
            select column_name, data_type
            from information_schema.columns
            where table_catalog = current_database() and table_schema = ? and table_name = ?
            order by ordinal_position
            """,
            [schema, name],
        ).fetchall()
    ]


def has_relation(connection: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    """True when schema.name exists (table or view)."""
    return bool(columns(connection, schema, name))


def read_build_info(connection: duckdb.DuckDBPyConnection) -> BuildInfo | None:
    """The build stamp, or None for a file not built by ``livewh build``."""
    if not has_relation(connection, "main", BUILD_INFO):
        return None
    row = connection.execute(
        f"""
        select * from main.{BUILD_INFO}
        """
    ).fetchone()
    if not row:
        return None
    names = [column[0] for column in connection.description or []]
    known = set(BuildInfo.__dataclass_fields__)
    return BuildInfo(**{name: value for name, value in zip(names, row, strict=True) if name in known})


def observation_end(connection: duckdb.DuckDBPyConnection) -> tuple[date | None, str | None]:
    """(as_of_date, its source) from the build stamp, else from the dbt model, else (None, None)."""
    info = read_build_info(connection)
    if info is not None and info.as_of_date is not None:
        return info.as_of_date, info.as_of_date_source
    schema, name = OBSERVATION_END_RELATION
    if has_relation(connection, schema, name):
        row = connection.execute(f"select * from {quote(schema)}.{quote(name)} limit 1").fetchone()
        if row:
            source = str(row[1]) if len(row) > 1 else "model"
            return row[0], source
    return None, None


def write_build_info(
    db_path: Path,
    run_id: str,
    built_at: datetime,
    raw_dir: Path,
    dbt_selection: str | None = None,
    project_fingerprint: str | None = None,
    build_mode: str | None = None,
) -> BuildInfo:
    """Write ``main.warehouse_build_info`` into a freshly built file and return it."""
    with duckdb.connect(str(db_path)) as connection:
        as_of, as_of_source = observation_end(connection)
        info = BuildInfo(
            run_id=run_id,
            built_at=built_at,
            raw_data_dir=str(raw_dir),
            as_of_date=as_of,
            as_of_date_source=as_of_source,
            dbt_version=importlib.metadata.version("dbt-core"),
            duckdb_version=duckdb.__version__,
            livewh_version=__version__,
            dbt_selection=dbt_selection,
            project_fingerprint=project_fingerprint,
            build_mode=build_mode,
        )
        values = asdict(info)
        connection.execute(
            f"""
            create or replace table main.{BUILD_INFO} (
                run_id varchar not null,
                built_at timestamp not null,
                raw_data_dir varchar not null,
                as_of_date date,
                as_of_date_source varchar,
                dbt_version varchar not null,
                duckdb_version varchar not null,
                livewh_version varchar not null,
                dbt_selection varchar,
                project_fingerprint varchar,
                build_mode varchar
            )
            """
        )
        connection.execute(
            f"insert into main.{BUILD_INFO} values ({', '.join('?' for _ in values)})", list(values.values())
        )
        connection.execute(
            f"comment on table main.{BUILD_INFO} is "
            "'One row: the livewh build run that produced this file (written by livewh build).'"
        )
        connection.execute("checkpoint")
    return info
