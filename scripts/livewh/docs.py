"""``livewh docs``: render the dbt docs (models, columns, lineage) from a build, never the published file.

``dbt docs generate`` opens its database read-write and compiles the on-run-start hook, which
creates views over the raw files. Run on the published file, that would leave views reading the
shop's raw exports (clear personal data of every account, erased ones included) in the file
readers open, and lock readers out meanwhile. So this command

1. copies the published file (a build: it is only ever replaced, never written in place) to a
   throwaway file ``build/docs/work/<name>`` and drops the build stamp from the copy (the dbt
   plugin in ``profiles.yml`` refuses stamped files);
2. runs ``dbt parse`` (the manifest: every description) and ``dbt docs generate --no-compile
   --static`` (the catalog: every relation's columns and types) against the copy. Nothing is
   compiled, so the hook never runs and the raw folder is not needed;
3. deletes the copy and leaves ``build/docs/target/`` with ``static_index.html`` (one
   self-contained page to open in a browser) and ``index.html`` + ``manifest.json`` +
   ``catalog.json`` (for ``dbt docs serve --target-path build/docs/target``).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from livewh.dbt_runner import run_dbt
from livewh.errors import BuildFailed, LivewhError
from livewh.paths import display
from livewh.progress import step
from livewh.warehouse import BUILD_INFO, connect_read_only, read_build_info

STATIC_PAGE = "static_index.html"


@dataclass(frozen=True)
class DocsResult:
    """Where the rendered docs are."""

    target_dir: Path
    static_page: Path
    run_id: str | None


def _fail(what: str, run: object) -> BuildFailed:
    explain = getattr(run, "explain", lambda: "")()
    return BuildFailed(f"livewh docs: {what} failed.\n{explain}")


def render_docs(published: Path, out_dir: Path) -> DocsResult:
    """Render the dbt docs of ``published`` into ``out_dir/target`` through a throwaway copy."""
    with connect_read_only(published) as connection:
        info = read_build_info(connection)
    if info is None:
        raise LivewhError(
            f"'{display(published)}' has no main.{BUILD_INFO}: it was not made by `livewh build`; "
            "build one first."
        )
    work_dir = out_dir / "work"
    target_dir = out_dir / "target"
    for folder in (work_dir, target_dir):
        if folder.exists():
            shutil.rmtree(folder)
    work_dir.mkdir(parents=True)
    # same file name: DuckDB names the catalog after it, and the docs show that name
    copy = work_dir / published.name
    try:
        with step("copy the published file") as current:
            shutil.copyfile(published, copy)
            with duckdb.connect(str(copy)) as connection:
                connection.execute(f"drop table main.{BUILD_INFO}")
                connection.execute("checkpoint")
            current.result = f"{display(copy)} (run {info.run_id})"
        # the raw folder is never read (nothing is compiled); any path will do for the profile
        common = {"db_path": copy, "raw_dir": work_dir, "as_of": None, "work_dir": out_dir}
        with step("dbt parse") as current:
            parsed = run_dbt(["parse"], **common)
            if not parsed.ok:
                raise _fail("dbt parse", parsed)
        with step("dbt docs generate") as current:
            generated = run_dbt(["docs", "generate", "--no-compile", "--static"], **common)
            if not generated.ok:
                raise _fail("dbt docs generate", generated)
            current.result = f"{display(target_dir / STATIC_PAGE)}"
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    return DocsResult(target_dir, target_dir / STATIC_PAGE, info.run_id)
