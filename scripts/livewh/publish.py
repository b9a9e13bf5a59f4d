"""Publish a built warehouse file: swap it in place of the published one, atomically.

``os.replace`` renames the new file over the published path in one step on the same
filesystem. A reader that opens the path gets either the old file or the new one, never a mix;
a reader that already has the old file open keeps reading the old file (its inode lives until
the reader closes it) and sees the new version on its next connection. Readers therefore never
block a publish and a publish never disturbs a reader.

Before the swap the candidate is checked: its views over the raw files are dropped and then no
view or macro may read files (``livewh.quality.exposure``: such a view would hand every reader the
raw folder, clear personal data of erased accounts included); it must carry a build stamp, be
fully checkpointed (no ``.wal`` beside it, which DuckDB would otherwise replay onto the wrong
file), and sit on the same filesystem as the target. The published file must not be held open
read-write by another process (that writer would silently lose its changes) nor have a stale
``.wal``.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from livewh.errors import LivewhError
from livewh.paths import display
from livewh.warehouse import BuildInfo, lock_hint, read_build_info


def wal_of(db_path: Path) -> Path:
    """DuckDB's write-ahead log file for a database file."""
    return db_path.with_name(db_path.name + ".wal")


def check_candidate(candidate: Path) -> BuildInfo:
    """The candidate's build stamp; checkpoint it so the file alone holds the whole warehouse."""
    if not candidate.is_file():
        raise LivewhError(f"nothing to publish: '{display(candidate)}' does not exist.")
    if wal_of(candidate).exists():
        with duckdb.connect(str(candidate)) as connection:
            connection.execute("checkpoint")
    try:
        with duckdb.connect(str(candidate), read_only=True) as connection:
            info = read_build_info(connection)
    except duckdb.Error as error:
        raise LivewhError(f"cannot open '{display(candidate)}': {lock_hint(error)}") from error
    if info is None:
        raise LivewhError(
            f"'{display(candidate)}' has no main.warehouse_build_info: it was not made by `livewh build`."
        )
    if wal_of(candidate).exists():
        raise LivewhError(f"'{display(candidate)}' still has a write-ahead log; is a process writing to it?")
    return info


RAW_SCHEMA = "raw"
#: Schemas whose views read the raw files: the raw views, and the staging views over them (staging
#: is a set of views that rename, cast and flag; the validation tables hold their rows).
RAW_READING_SCHEMAS = (RAW_SCHEMA, "staging")


def strip_raw_views(candidate: Path) -> list[str]:
    """Drop the views that read the raw files from a built file; return their qualified names.

    The views over the raw files (schema ``raw``) and the staging views over them exist for the
    build and its checks. A published file keeps none: it must not read the raw folder (whose
    files still hold the rows of accounts erased on request, and whose path means nothing on an
    analyst's machine), and a staging view left without its raw view would only fail.
    ``raw.raw_files`` (a table listing the files read) stays.
    """
    placeholders = ", ".join("?" for _ in RAW_READING_SCHEMAS)
    with duckdb.connect(str(candidate)) as connection:
        views = connection.execute(
            "select schema_name, view_name from duckdb_views() "
            f"where schema_name in ({placeholders}) and not internal and database_name = current_database() "
            "order by schema_name = 'raw', schema_name, view_name",
            list(RAW_READING_SCHEMAS),
        ).fetchall()
        # staging views first: they depend on the raw views
        for schema, name in views:
            connection.execute(f'drop view "{schema}"."{name}"')
        connection.execute("checkpoint")
    return [f"{schema}.{name}" for schema, name in views]


def check_no_file_readers(candidate: Path) -> None:
    """Refuse a file that still holds a view or macro reading files (after the raw views are dropped)."""
    from livewh.quality.exposure import file_readers

    with duckdb.connect(str(candidate), read_only=True) as connection:
        readers = file_readers(connection)
    if readers:
        found = "\n".join(f"    {reader.describe()}" for reader in readers[:10])
        raise LivewhError(
            f"refusing to publish '{display(candidate)}': readers of the published file must not read "
            f"files through it, and it holds:\n{found}"
        )


def check_target(published: Path) -> None:
    """Refuse to replace a file that a read-write connection holds open, or that has a stale WAL."""
    if not published.exists():
        return
    try:
        with duckdb.connect(str(published), read_only=True):
            pass
    except duckdb.Error as error:
        raise LivewhError(f"cannot publish over '{display(published)}': {lock_hint(error)}") from error
    if wal_of(published).exists():
        raise LivewhError(
            f"'{display(wal_of(published))}' exists: a read-write connection to the published file is open "
            "or was not closed cleanly. Close it (readers should connect read-only) and build again."
        )


def publish(candidate: Path, published: Path) -> BuildInfo:
    """Atomically replace ``published`` by ``candidate`` (which is moved, not copied)."""
    if not candidate.is_file():
        raise LivewhError(f"nothing to publish: '{display(candidate)}' does not exist.")
    strip_raw_views(candidate)
    check_no_file_readers(candidate)
    info = check_candidate(candidate)
    published.parent.mkdir(parents=True, exist_ok=True)
    if os.stat(candidate).st_dev != os.stat(published.parent).st_dev:
        raise LivewhError(
            f"'{display(candidate)}' and '{display(published)}' are on different filesystems; "
            "an atomic replace needs both on one (builds go to build/ beside the published file)."
        )
    if candidate.name != published.name:
        # DuckDB names the catalog after the file stem and dbt writes catalog-qualified views.
        raise LivewhError(
            f"cannot publish '{display(candidate)}' as '{display(published)}': the file names differ, "
            "and DuckDB names the catalog after the file name."
        )
    check_target(published)
    os.replace(candidate, published)
    directory = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return info
