"""``livewh metrics``: the dbt semantic layer (MetricFlow's ``mf``) on a warehouse file, read-only.

``mf`` reads the semantic manifest from ``<dbt project>/target/semantic_manifest.json`` and
connects through the dbt profile. So that it never disturbs a developer's ``target/`` and never
locks the published file, this module prepares a scratch project folder beside the warehouse
(``build/semantic-layer/``: links to the project's files plus its own ``target/`` and ``logs/``),
runs ``dbt parse`` there (fast after the first time: dbt's partial parsing), and runs ``mf``
with the profile's read-only target ``reader`` on the chosen file.

    livewh metrics query --metrics net_gmv_usd --group-by metric_time__month
    livewh metrics validate-configs
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from livewh import PROJECT_ROOT
from livewh.errors import EXIT_FAILED, LivewhError
from livewh.paths import ENV_DB_PATH, build_root, display

#: The profile target that opens the file read-only (profiles.yml).
READER_TARGET = "reader"
SCRATCH_NAME = "semantic-layer"
#: Project entries the scratch folder links to (what dbt parse reads).
PROJECT_ENTRIES = (
    "dbt_project.yml",
    "profiles.yml",
    ".dbtignore",
    "models",
    "macros",
    "seeds",
    "snapshots",
    "tests",
    "analyses",
)


def _bin(name: str) -> str:
    """An executable of the running environment (``.venv/bin/<name>``), else from PATH."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def prepare_project(scratch: Path) -> Path:
    """Create (or refresh) the scratch project folder: links to the project's files."""
    scratch.mkdir(parents=True, exist_ok=True)
    for entry in PROJECT_ENTRIES:
        source = PROJECT_ROOT / entry
        link = scratch / entry
        if link.is_symlink() and link.resolve() == source.resolve():
            continue
        if link.is_symlink() or link.exists():
            link.unlink()
        if source.exists():
            link.symlink_to(source, target_is_directory=source.is_dir())
    return scratch


def semantic_environment(scratch: Path, db_path: Path) -> dict[str, str]:
    """Environment for dbt and mf: the scratch project, the project's profile, read-only target."""
    return {
        **os.environ,
        "DBT_PROJECT_DIR": str(scratch),
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "DBT_TARGET": READER_TARGET,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        ENV_DB_PATH: str(db_path),
    }


def parse_project(scratch: Path, db_path: Path) -> Path:
    """``dbt parse`` in the scratch folder; return the semantic manifest it wrote."""
    completed = subprocess.run(
        [_bin("dbt"), "parse", "--project-dir", str(scratch), "--profiles-dir", str(PROJECT_ROOT), "--quiet"],
        cwd=scratch,
        env=semantic_environment(scratch, db_path),
        capture_output=True,
        text=True,
        check=False,
    )
    manifest = scratch / "target" / "semantic_manifest.json"
    if completed.returncode != 0 or not manifest.exists():
        output = (completed.stdout + completed.stderr).strip()
        raise LivewhError(
            f"dbt parse failed, so the semantic layer cannot be loaded:\n{output[-2000:]}",
            exit_code=EXIT_FAILED,
        )
    return manifest


def run_mf(db_path: Path, arguments: list[str], scratch: Path | None = None) -> int:
    """Prepare and parse the scratch project, then run ``mf <arguments>`` on ``db_path``; return "
    "its exit code."""
    if not db_path.is_file():
        raise LivewhError(
            f"no warehouse file at '{display(db_path)}'. Build one with `livewh build` or pass --db."
        )
    folder = prepare_project(scratch or build_root(db_path) / SCRATCH_NAME)
    parse_project(folder, db_path)
    return subprocess.run(
        [_bin("mf"), *arguments], cwd=folder, env=semantic_environment(folder, db_path), check=False
    ).returncode


def query(
    db_path: Path, arguments: list[str], scratch: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``mf <arguments>`` capturing its output (for tests and scripts); parse first."""
    folder = prepare_project(scratch or build_root(db_path) / SCRATCH_NAME)
    if not (folder / "target" / "semantic_manifest.json").exists():
        parse_project(folder, db_path)
    return subprocess.run(
        [_bin("mf"), *arguments],
        cwd=folder,
        env=semantic_environment(folder, db_path),
        capture_output=True,
        text=True,
        check=False,
    )
