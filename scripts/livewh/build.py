"""``livewh build``: write, audit, publish.

1. Write: check the raw folder (``rawcheck``), then build a fresh DuckDB file
   ``build/<run_id>/<published file name>`` beside the published file. The name must be the
   published one: DuckDB names the catalog after the file stem and dbt writes catalog-qualified
   names into views, so a file built as ``x.duckdb`` only works when published as ``x.duckdb``.
   Before dbt runs, every table of schema ``snapshots`` in the published file (dbt snapshots:
   history that cannot be rebuilt from raw data) is copied into the new file, which is created in
   the storage format of DuckDB 1.4 (``STORAGE_COMPATIBILITY_VERSION``; every later write keeps
   it), so BI tools and CLIs still on DuckDB 1.4 open the published file. Then ``dbt build``
   (seeds, models, snapshots, tests), then the build stamp ``main.warehouse_build_info``.
2. Audit: the quality checks (``livewh.quality``) on the new file.
3. Publish: only when everything passed, ``os.replace`` the published file (``livewh.publish``).

On failure the published file is untouched, the new file stays in ``build/<run_id>/`` for
inspection, and the error says which step failed and where the build is. Only the last few
run folders are kept. One build at a time per published file (a lock in ``build/``).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from livewh import PROJECT_ROOT, __version__
from livewh.dbt_runner import run_dbt
from livewh.errors import BuildFailed, LivewhError
from livewh.paths import build_root, display
from livewh.progress import say, step, warn
from livewh.publish import publish
from livewh.rawcheck import RawCheckReport, check_raw_folder, first_order_date
from livewh.warehouse import (
    BUILD_INFO,
    STORAGE_COMPATIBILITY_VERSION,
    BuildInfo,
    connect_read_only,
    create_build_file,
    lock_hint,
    quote,
    read_build_info,
    sql_string,
    write_build_info,
)

RUN_ID = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{4}$")
SNAPSHOT_SCHEMA = "snapshots"
DEFAULT_KEEP_BUILDS = 5
LOCK_FILE = ".build.lock"
#: A symlink to the current run folder: dbt always sees the same database path, so its saved
#: parse state stays valid from one build to the next (a new path would force a full re-parse).
BUILDING_LINK = ".building"
#: Where dbt's partial-parse state is kept between builds.
PARSE_CACHE = ".dbt-parse-cache"


@dataclass(frozen=True)
class BuildOptions:
    """What to build, from what, and how."""

    db_path: Path
    raw_dir: Path
    as_of: str | None = None
    skip_checks: bool = False
    publish: bool = True
    keep_builds: int = DEFAULT_KEEP_BUILDS
    freshness_days: int = 7
    verbose: bool = False
    #: dbt node selection (``--select`` syntax) for a partial build during development and in
    #: tests; None builds everything. The selection is recorded in the build stamp.
    select: tuple[str, ...] | None = None
    #: start from an empty file and rebuild every incremental model from the first raw row
    full_refresh: bool = False


@dataclass(frozen=True)
class BuildResult:
    """What a successful build produced."""

    run_id: str
    run_dir: Path
    info: BuildInfo
    published: bool
    quality_headline: str | None


def new_run_id(now: datetime | None = None) -> str:
    """A sortable, unique run id: UTC time plus four random hex digits."""
    moment = now or datetime.now(UTC)
    return f"{moment:%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"


@contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``build/.build.lock`` (one build at a time per published file)."""
    root.mkdir(parents=True, exist_ok=True)
    handle = (root / LOCK_FILE).open("a")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise LivewhError(
                f"another `livewh build` is running for this warehouse (lock {display(root / LOCK_FILE)})."
            ) from error
        yield
    finally:
        handle.close()


def carry_over_snapshots(published: Path, candidate: Path) -> int:
    """Copy every table of schema ``snapshots`` from the published file into the new one."""
    if not candidate.exists():
        create_build_file(candidate)
    if not published.exists():
        return 0
    with duckdb.connect(str(candidate)) as connection:
        try:
            connection.execute(f"attach {sql_string(str(published))} as published_warehouse (read_only)")
        except duckdb.Error as error:
            raise LivewhError(
                f"cannot read the published file '{display(published)}': {lock_hint(error)}"
            ) from error
        tables = [
            str(name)
            for (name,) in connection.execute(
                """
                select table_name from information_schema.tables
                where table_catalog = 'published_warehouse' and table_schema = ? and table_type = 'BASE TABLE'
                order by table_name
                """,
                [SNAPSHOT_SCHEMA],
            ).fetchall()
        ]
        if tables:
            connection.execute(f"create schema if not exists {quote(SNAPSHOT_SCHEMA)}")
        for table in tables:
            target = f"{quote(SNAPSHOT_SCHEMA)}.{quote(table)}"
            source = f"published_warehouse.{quote(SNAPSHOT_SCHEMA)}.{quote(table)}"
            connection.execute(f"create table {target} as select * from {source}")
        connection.execute("detach published_warehouse")
        connection.execute("checkpoint")
    return len(tables)


def point_building_link(root: Path, run_dir: Path) -> Path:
    """Point ``build/.building`` at the run folder (atomically) and return the link."""
    link = root / BUILDING_LINK
    temporary = root / f"{BUILDING_LINK}.{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(run_dir.name, target_is_directory=True)
    os.replace(temporary, link)
    return link


def prune_builds(root: Path, keep: int, current: str) -> list[Path]:
    """Delete all but the newest ``keep`` run folders (never the current one); return the deleted."""
    runs = sorted(path for path in root.iterdir() if path.is_dir() and RUN_ID.match(path.name))
    doomed = [path for path in runs[: max(len(runs) - keep, 0)] if path.name != current]
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
    return doomed


def _parse_as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise LivewhError(
            f"--as-of / LIVEWH_AS_OF_DATE must be a date like 2025-06-30, not '{value}'."
        ) from error


def check_as_of(as_of: date, report: RawCheckReport) -> None:
    """Stop (before dbt runs) when the observation end is before the first accepted order."""
    first = first_order_date(report)
    if first is not None and as_of < first:
        orders = next(raw_file for raw_file in report.files if raw_file.table == "orders")
        raise LivewhError(
            f"the observation end {as_of.isoformat()} (--as-of / LIVEWH_AS_OF_DATE) is before the first "
            f"order in {display(orders.path)} ({first.isoformat()}, UTC): nothing would be observed. "
            f"Choose a date on or after {first.isoformat()}, or leave the observation end out (then it "
            "is the latest order or live event date)."
        )


#: What an incremental build cannot see change by itself: a model's own SQL is part of its
#: incremental signature, but macros, seeds and project settings are not.
FINGERPRINTED = ("macros", "seeds", "dbt_project.yml")


def project_fingerprint() -> str:
    """A digest of the macros, seeds, dbt_project.yml and the livewh version."""
    digest = hashlib.sha256(f"livewh {__version__}".encode())
    for entry in FINGERPRINTED:
        path = PROJECT_ROOT / entry
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                digest.update(str(file.relative_to(PROJECT_ROOT)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def incremental_start(published: Path, fingerprint: str, full_refresh: bool) -> tuple[bool, str]:
    """Whether the build can start from the published file, and why (or why not)."""
    if full_refresh:
        return False, "full refresh asked for (--full-refresh)"
    if not published.is_file():
        return False, "no published warehouse yet"
    try:
        with connect_read_only(published) as connection:
            info = read_build_info(connection)
    except LivewhError as error:
        return False, f"the published file cannot be read ({error.message})"
    if info is None:
        return False, "the published file has no build stamp"
    if info.dbt_selection:
        return False, "the published file is a partial build (--select)"
    if info.project_fingerprint != fingerprint:
        return False, "the project's macros, seeds or settings (or livewh) changed since the published build"
    return True, f"from the published build {info.run_id}"


def start_from_published(published: Path, candidate: Path) -> None:
    """Copy the published file as the build's starting point, without its build stamp."""
    shutil.copyfile(published, candidate)
    with duckdb.connect(str(candidate)) as connection:
        connection.execute(f"drop table if exists main.{BUILD_INFO}")
        connection.execute("checkpoint")


def run_build(options: BuildOptions) -> BuildResult:
    """Write, audit and publish; raise BuildFailed (published file untouched) when a step fails."""
    as_of = _parse_as_of(options.as_of)
    with step("raw check") as current:
        report = check_raw_folder(options.raw_dir)
        current.result = report.describe()
    if as_of is not None:
        check_as_of(as_of, report)

    root = build_root(options.db_path)
    with build_lock(root):
        run_id = new_run_id()
        run_dir = root / run_id
        run_dir.mkdir(parents=True)
        candidate = run_dir / options.db_path.name
        say(f"run {run_id}: building {display(candidate)} from {display(options.raw_dir)}")
        if options.select:
            say(f"partial build: only dbt nodes {' '.join(options.select)} (--select)")
        try:
            result = _write_audit_publish(options, run_id, run_dir, candidate, as_of)
        finally:
            removed = prune_builds(root, options.keep_builds, run_id)
            if removed:
                say(f"removed {len(removed)} old build folder(s) (keeping the last {options.keep_builds})")
    return result


def _fail(step_name: str, run_dir: Path, details: str) -> BuildFailed:
    return BuildFailed(
        f"build failed at step '{step_name}'; the published warehouse was not changed.\n"
        f"{details}\n  the failed build is kept in {display(run_dir)}/"
    )


def _write_audit_publish(
    options: BuildOptions, run_id: str, run_dir: Path, candidate: Path, as_of: date | None
) -> BuildResult:
    fingerprint = project_fingerprint()
    incremental, why = incremental_start(
        options.db_path, fingerprint, options.full_refresh or bool(options.select)
    )
    if incremental:
        with step("start from the published warehouse") as current:
            start_from_published(options.db_path, candidate)
            current.result = f"incremental build {why}"
    else:
        with step("carry over snapshots") as current:
            create_build_file(candidate)
            copied = carry_over_snapshots(options.db_path, candidate)
            copied_text = f"{copied} snapshot table(s) copied" if copied else "no snapshots to copy"
            current.result = (
                f"full build ({why}); {copied_text}; storage format of DuckDB {STORAGE_COMPATIBILITY_VERSION}"
            )

    with step("dbt build") as current:
        link = point_building_link(run_dir.parent, run_dir)
        dbt = run_dbt(
            # cautious: with a selection, run only the tests whose every parent is selected
            [
                "build",
                *(
                    ["--select", *options.select, "--indirect-selection", "cautious"]
                    if options.select
                    else []
                ),
                *([] if incremental else ["--full-refresh"]),
            ],
            db_path=link / candidate.name,
            raw_dir=options.raw_dir,
            as_of=as_of.isoformat() if as_of else None,
            work_dir=run_dir,
            parse_cache=run_dir.parent / PARSE_CACHE,
            step=current,
            verbose=options.verbose,
        )
        counts = ", ".join(f"{count} {status}" for status, count in sorted(dbt.node_counts.items()))
        current.result = counts or "no nodes"
        if not dbt.ok:
            current.result = f"dbt exited {dbt.returncode}"
            raise _fail(
                "dbt build", run_dir, f"{dbt.explain()}\n  dbt log: {display(dbt.log_dir / 'dbt.log')}"
            )

    built_at = datetime.now(UTC).replace(tzinfo=None)
    selection = " ".join(options.select) if options.select else None
    info = write_build_info(
        candidate,
        run_id,
        built_at,
        options.raw_dir,
        selection,
        project_fingerprint=fingerprint,
        build_mode="incremental" if incremental else "full",
    )
    report_rate_gaps(candidate)

    headline = None
    if options.skip_checks:
        say("quality checks skipped (--skip-checks)")
    else:
        headline = audit(candidate, run_dir / "quality", as_of, options.freshness_days, run_dir)

    if not options.publish:
        say(f"not published (--no-publish): {display(candidate)}")
        return BuildResult(run_id, run_dir, info, False, headline)
    with step("publish") as current:
        try:
            publish(candidate, options.db_path)
        except LivewhError as error:
            raise _fail("publish", run_dir, f"  {error.message}") from error
        current.result = f"{display(options.db_path)} replaced atomically (run {run_id})"
    return BuildResult(run_id, run_dir, info, True, headline)


def report_rate_gaps(candidate: Path) -> None:
    """Say which orders found no exchange rate, per currency, with the dates that need rates."""
    from livewh.fx import rate_gap_messages

    with connect_read_only(candidate) as connection:
        messages = rate_gap_messages(connection)
    for message in messages:
        warn(message)
    if messages:
        say("  (these orders are in main.fct_quarantined_rows; details in main.rpt_fx_rate_gaps)")


def audit(candidate: Path, out_dir: Path, as_of: date | None, freshness_days: int, run_dir: Path) -> str:
    """Run the quality checks on a built file; raise BuildFailed on an error-level failure."""
    from livewh.quality import QualityOptions, run_quality

    with step("quality checks") as current:
        report = run_quality(
            QualityOptions(candidate, out_dir, as_of, freshness_days, raw_views_allowed=True), step=current
        )
        current.result = report.headline()
    for line in report.summary_lines()[1:]:
        say(line)
    if not report.passed:
        failed = "\n".join(
            f"    {outcome.relation}{'.' + outcome.column if outcome.column else ''}: {outcome.check}: "
            f"{outcome.message}"
            for outcome in report.errors[:10]
        )
        raise _fail("quality checks", run_dir, f"{failed}\n  report: {display(report.results_json)}")
    return report.headline()
