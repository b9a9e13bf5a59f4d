"""A dbt-duckdb plugin (named in ``profiles.yml``) that guards the file plain dbt writes to.

Plain ``dbt`` commands write to ``$LIVEWH_DB_PATH``, by default the development file
``build/dev/warehouse.duckdb``, never to the published ``warehouse.duckdb``. Before dbt opens
its file read-write, this plugin

- creates the file's folder (DuckDB does not, and ``build/`` may not exist yet on a fresh clone);
- refuses a file that carries the build stamp ``main.warehouse_build_info``, i.e. a warehouse
  published (or kept) by ``livewh build``: dbt's on-run-start hook would create views over the
  raw files in it (which hold the clear emails and phones of every account, erased ones
  included), and a read-write connection locks out readers. ``livewh build`` runs dbt on a fresh
  file and writes the stamp only after dbt has finished, so it never trips this guard.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
from dbt.adapters.duckdb.plugins import BasePlugin

from livewh.warehouse import BUILD_INFO


class PublishedWarehouseError(RuntimeError):
    """dbt was pointed at a warehouse file made by ``livewh build``."""


def local_path(path: str) -> Path | None:
    """The database path as a local file, or None for memory and URLs (md:, s3:, ...)."""
    if not path or path == ":memory:" or "://" in path or path.split(":", 1)[0] in {"md", "motherduck"}:
        return None
    return Path(path).expanduser()


def is_stamped_warehouse(path: Path) -> bool:
    """True when the file holds ``main.warehouse_build_info`` (read through a read-only connection)."""
    with duckdb.connect(str(path), read_only=True) as connection:
        (found,) = connection.execute(
            "select count(*) from duckdb_tables() where database_name = current_database() "
            "and schema_name = 'main' and table_name = ?",
            [BUILD_INFO],
        ).fetchone() or (0,)
    return bool(found)


def guard(path: str) -> None:
    """Create the folder of a new file; refuse a file stamped by ``livewh build``."""
    target = local_path(path)
    if target is None:
        return
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        return
    if is_stamped_warehouse(target):
        raise PublishedWarehouseError(
            f"LIVEWH_DB_PATH points at '{target}', a warehouse made by `livewh build` (it has "
            f"main.{BUILD_INFO}). Plain dbt never writes into a published warehouse: unset "
            "LIVEWH_DB_PATH (dbt then uses build/dev/warehouse.duckdb), point it at a development "
            "file, or rebuild with `livewh build`. For the docs, run `livewh docs`."
        )


class Plugin(BasePlugin):
    """Runs :func:`guard` on the profile's path before dbt-duckdb connects."""

    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        guard(str(creds.path))
