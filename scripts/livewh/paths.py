"""Where things live: the project, the published warehouse, the raw data, the build folders.

Paths given on the command line or in the environment are taken relative to the current
folder, like any command-line tool; the defaults are relative to the project root (the folder
holding ``dbt_project.yml``), where ``profiles.yml`` puts them too.
"""

from __future__ import annotations

import os
from pathlib import Path

from livewh import PROJECT_ROOT

#: The machine-readable raw contract (dbt source ``shop``).
SOURCES_YML = PROJECT_ROOT / "models" / "staging" / "shop" / "_shop__sources.yml"

ENV_DB_PATH = "LIVEWH_DB_PATH"
ENV_RAW_DIR = "LIVEWH_RAW_DIR"
ENV_AS_OF_DATE = "LIVEWH_AS_OF_DATE"

DEFAULT_DB_NAME = "warehouse.duckdb"
DEFAULT_RAW_DIR = Path("data") / "demo"
#: Folder, beside the published file, holding one sub-folder per build run.
BUILD_DIR_NAME = "build"


def _from_user(value: str) -> Path:
    """A path typed by the user (argument or environment), made absolute against the cwd."""
    return Path(value).expanduser().resolve()


def resolve_db_path(value: str | None = None) -> Path:
    """The published warehouse file: ``--db``, else ``$LIVEWH_DB_PATH``, else ``warehouse.duckdb``."""
    if value:
        return _from_user(value)
    if os.environ.get(ENV_DB_PATH):
        return _from_user(os.environ[ENV_DB_PATH])
    return PROJECT_ROOT / DEFAULT_DB_NAME


def resolve_raw_dir(value: str | None = None) -> Path:
    """The raw data folder: ``--raw-dir``, else ``$LIVEWH_RAW_DIR``, else ``data/demo``."""
    if value:
        return _from_user(value)
    if os.environ.get(ENV_RAW_DIR):
        return _from_user(os.environ[ENV_RAW_DIR])
    return PROJECT_ROOT / DEFAULT_RAW_DIR


def resolve_as_of(value: str | None = None) -> str | None:
    """The observation end: ``--as-of``, else ``$LIVEWH_AS_OF_DATE``, else None (data-driven)."""
    chosen = value if value else os.environ.get(ENV_AS_OF_DATE, "")
    return chosen.strip() or None


def build_root(published: Path) -> Path:
    """The folder holding build runs for a published file: ``<its folder>/build``.

    Beside the published file so that the final ``os.replace`` stays on one filesystem.
    """
    return published.parent / BUILD_DIR_NAME


def display(path: Path) -> str:
    """A path as shown to the user: relative to the cwd when it is below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
