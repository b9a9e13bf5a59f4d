"""The ``livewh`` command: one entry point for generating, building, checking and delivering.

Every sub-command lives in its own module; this module only wires arguments to them and turns
a :class:`~livewh.errors.LivewhError` (a user mistake or a failed build) into a message and a
non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import atexit
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from livewh import PROJECT_ROOT, __version__
from livewh.errors import EXIT_FAILED, EXIT_USAGE, LivewhError
from livewh.paths import build_root, display, resolve_as_of, resolve_db_path, resolve_raw_dir
from livewh.progress import say, warn

DEFAULT_EXPORT_DIR = PROJECT_ROOT / "exports"
DEFAULT_AUDIENCE_DIR = PROJECT_ROOT / "exports" / "audiences"


def _add_db(parser: argparse.ArgumentParser, what: str = "the published warehouse file") -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        help=f"{what} (default: $LIVEWH_DB_PATH, else warehouse.duckdb in the project)",
    )


def _add_check_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="observation end (default: $LIVEWH_AS_OF_DATE, else the latest accepted order or event date)",
    )
    parser.add_argument(
        "--freshness-days",
        type=int,
        default=7,
        metavar="N",
        help="warn when the latest accepted order or live event is older than N days before the "
        "observation end (default: 7)",
    )


def _register_generate(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The demo data generator registers its own sub-command; without it, a stub explains why."""
    try:
        from livewh.generate import register
    except ImportError as error:
        reason = str(error)
        parser = subparsers.add_parser("generate", help="generate demo raw data (generator not available)")

        def unavailable(args: argparse.Namespace) -> int:
            raise LivewhError(f"the demo data generator (livewh.generate) is not available: {reason}")

        parser.set_defaults(handler=unavailable)
        return
    register(subparsers)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="livewh",
        description="Customer analytics warehouse for cross-border live-stream commerce (dbt + DuckDB).",
        epilog="Run `livewh <command> --help` for a command's options. Docs: README.md.",
    )
    parser.add_argument("--version", action="version", version=f"livewh {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="<command>")

    _register_generate(subparsers)

    build = subparsers.add_parser(
        "build",
        help="check the raw folder, build a fresh warehouse, run tests and quality checks, publish",
        description="Write-audit-publish: build into build/<run_id>/, run dbt tests and quality checks, "
        "and only then replace the published file atomically. On failure the published file is untouched.",
    )
    _add_db(build)
    build.add_argument(
        "--raw-dir", metavar="DIR", help="raw data folder (default: $LIVEWH_RAW_DIR, else data/demo)"
    )
    _add_check_options(build)
    build.add_argument(
        "--skip-checks", action="store_true", help="skip the quality checks (development only)"
    )
    build.add_argument(
        "--no-publish", action="store_true", help="build and check, but keep the result in build/"
    )
    build.add_argument(
        "--keep-builds", type=int, default=5, metavar="N", help="build folders to keep (default: 5)"
    )
    build.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every incremental model from the first raw row, from an empty file (by default a "
        "build starts from the published warehouse and processes only what changed)",
    )
    build.add_argument(
        "--select",
        nargs="+",
        metavar="NODE",
        help="development: build only these dbt nodes (dbt --select syntax); the result holds only them",
    )
    build.add_argument("-v", "--verbose", action="store_true", help="stream dbt's own output")
    build.set_defaults(handler=cmd_build)

    check = subparsers.add_parser(
        "check",
        help="run the great-expectations quality suites on a warehouse file",
        description="Run the quality suites inside DuckDB (read-only). "
        "Exit 1 when an error-level check fails.",
    )
    _add_db(check, "the warehouse file to check")
    check.add_argument(
        "--out", metavar="DIR", help="where results.json and data_docs/ go (default: build/checks/<time>/)"
    )
    check.add_argument(
        "--allow-raw-views",
        action="store_true",
        help="the file is a build, not published: its views raw.* over the raw files are expected "
        "(publishing drops them); any other view over files still fails",
    )
    _add_check_options(check)
    check.set_defaults(handler=cmd_check)

    publish = subparsers.add_parser(
        "publish",
        help="publish a build kept in build/ (after --no-publish), re-running the checks",
        description="Audit and publish an existing build folder over the published file, atomically.",
    )
    _add_db(publish)
    publish.add_argument("--run", metavar="RUN_ID|DIR", help="the build to publish (default: the newest one)")
    publish.add_argument("--skip-checks", action="store_true", help="publish without re-running the checks")
    _add_check_options(publish)
    publish.set_defaults(handler=cmd_publish)

    export = subparsers.add_parser(
        "export",
        help="export the main relations to Parquet or CSV with a manifest",
        description="Export every relation of schema main into <out>/<observation end>_<run_id>/ "
        "with manifest.json.",
    )
    _add_db(export)
    export.add_argument("--out", metavar="DIR", help="export root folder (default: exports/)")
    export.add_argument(
        "--format", choices=("parquet", "csv"), default="parquet", help="file format (default: parquet)"
    )
    export.add_argument("--tables", nargs="+", metavar="NAME", help="only these relations of schema main")
    export.set_defaults(handler=cmd_export)

    audience = subparsers.add_parser(
        "audience",
        help="write an activation audience (hashed identifiers) chosen by segment and tag",
        description="Choose customers from main.dim_customer_segments (--filter column=value, repeatable; "
        "the same column repeated means any of the values; on numeric columns such as p_alive also "
        "'column<value', <=, >, >=) and main.dim_customer_tags (--tag key=value, all "
        "required); write customer_key, email_sha256, phone_sha256 to <out>/<name>.csv with a manifest.",
    )
    _add_db(audience)
    audience.add_argument("--name", required=True, help="audience name (file name stem)")
    audience.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="COLUMN=VALUE",
        help="segment filter; numeric columns also take COLUMN<VALUE, <=, >, >= (quote it in the shell)",
    )
    audience.add_argument("--tag", action="append", default=[], metavar="KEY=VALUE", help="tag filter")
    audience.add_argument(
        "--all",
        action="store_true",
        dest="everyone",
        help="every person (required when no --filter or --tag is given)",
    )
    audience.add_argument("--out", metavar="DIR", help="output folder (default: exports/audiences/)")
    audience.add_argument(
        "--control-share",
        type=float,
        default=0.0,
        metavar="F",
        help="hold out this share of the chosen people as a control group (0 <= F < 1, default 0), written "
        "to <name>.control.csv (customer_key, customer_id) instead of the send list",
    )
    audience.add_argument(
        "--control-seed",
        type=int,
        default=0,
        metavar="N",
        help="seed of the control group: the same audience and seed give the same group (default 0)",
    )
    audience.set_defaults(handler=cmd_audience)

    docs = subparsers.add_parser(
        "docs",
        help="render the dbt docs (models, columns, lineage) from a build, not the published file",
        description="Copy the published file to build/docs/, render the dbt docs from the copy (dbt parse, "
        "dbt docs generate --no-compile --static: nothing compiled, no raw data read), delete the copy. "
        "Open <out>/target/static_index.html, or run `dbt docs serve --target-path <out>/target`.",
    )
    _add_db(docs, "the published warehouse file to document")
    docs.add_argument("--out", metavar="DIR", help="where the docs go (default: build/docs/ beside --db)")
    docs.set_defaults(handler=cmd_docs)

    demo_doc = subparsers.add_parser(
        "demo-doc",
        help="measure the demo's figures in docs/demo-data.md from a demo warehouse and its raw files",
        description="Recompute every measured block of docs/demo-data.md (between <!-- measured:NAME --> "
        "markers) from a warehouse built from the demo data and from that raw folder, and rewrite them "
        "(--check: only compare, exit 1 when the page is not current).",
    )
    _add_db(demo_doc, "a warehouse built from the demo data")
    demo_doc.add_argument(
        "--raw-dir", metavar="DIR", help="the demo's raw folder (default: $LIVEWH_RAW_DIR, else data/demo)"
    )
    demo_doc.add_argument("--page", metavar="FILE", help="the page (default: docs/demo-data.md)")
    demo_doc.add_argument("--check", action="store_true", help="only compare; exit 1 when the page differs")
    demo_doc.set_defaults(handler=cmd_demo_doc)

    summary = subparsers.add_parser(
        "summary", help="row counts of the main relations, where the file is, how to query it"
    )
    _add_db(summary)
    summary.set_defaults(handler=cmd_summary)

    dashboard = subparsers.add_parser(
        "dashboard",
        help="serve the interactive dashboard (Streamlit, offline) over the published warehouse",
        description="Serve the dashboard (Overview, Repurchase, Segments, Live, Data quality) at "
        "http://ADDRESS:PORT/. It reads the file read-only with short-lived connections: it never blocks a "
        "build, and a new build shows on the next refresh. Ctrl-C stops it.",
    )
    _add_db(dashboard)
    dashboard.add_argument("--port", type=int, default=8501, help="port to listen on (default: 8501)")
    dashboard.add_argument(
        "--address", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)"
    )
    dashboard.set_defaults(handler=cmd_dashboard)

    report = subparsers.add_parser(
        "report",
        help="write the weekly or monthly review as one self-contained HTML file",
        description="Write the review of one week or month (default: the latest complete one) as a single "
        "HTML file that opens offline and can be mailed: headline numbers against the previous period and a "
        "year earlier, segment moves, best and worst broadcasts, quality alerts, data-quality "
        "status, playbook "
        "actions due.",
    )
    _add_db(report)
    report.add_argument(
        "--period", choices=("week", "month"), default="week", help="week or month (default: week)"
    )
    report.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="report the period holding this date (default: the latest complete one)",
    )
    report.add_argument(
        "--out",
        metavar="FILE",
        help="HTML file to write (default: exports/reports/review_<period>_<label>.html)",
    )
    report.set_defaults(handler=cmd_report)

    metrics = subparsers.add_parser(
        "metrics",
        help="the dbt semantic layer: run MetricFlow's mf (query, list, validate-configs) read-only",
        description="Run `mf ARGS` on the warehouse file through the project's read-only profile target, "
        "after `dbt parse` in build/semantic-layer/. For example: livewh metrics query --metrics net_gmv_usd "
        "--group-by metric_time__month",
    )
    _add_db(metrics)
    metrics.add_argument("mf_args", nargs=argparse.REMAINDER, metavar="MF_ARGS", help="arguments for mf")
    metrics.set_defaults(handler=cmd_metrics)

    from livewh import erase, fx, rawcut
    from livewh.bench import cli as bench_cli
    from livewh.predict import cli as predict_cli

    fx.register(subparsers)
    predict_cli.register(subparsers)
    erase.register(subparsers)
    rawcut.register(subparsers)
    bench_cli.register(subparsers)
    return parser


def _path_or_default(value: str | None, default: Path) -> Path:
    return Path(value).expanduser().resolve() if value else default


def _as_of_date(value: str | None) -> date | None:
    chosen = resolve_as_of(value)
    if chosen is None:
        return None
    try:
        return date.fromisoformat(chosen)
    except ValueError as error:
        raise LivewhError(
            f"--as-of / LIVEWH_AS_OF_DATE must be a date like 2025-06-30, not '{chosen}'."
        ) from error


def cmd_build(args: argparse.Namespace) -> int:
    """``livewh build``."""
    from livewh.build import BuildOptions, run_build

    if args.keep_builds < 1:
        raise LivewhError("--keep-builds must be at least 1.")
    db_path = resolve_db_path(args.db)
    result = run_build(
        BuildOptions(
            db_path=db_path,
            raw_dir=resolve_raw_dir(args.raw_dir),
            as_of=resolve_as_of(args.as_of),
            skip_checks=args.skip_checks,
            publish=not args.no_publish,
            keep_builds=args.keep_builds,
            freshness_days=args.freshness_days,
            verbose=args.verbose,
            select=tuple(args.select) if args.select else None,
            full_refresh=args.full_refresh,
        )
    )
    where = display(db_path) if result.published else display(result.run_dir / db_path.name)
    print(f"build {result.run_id}: {'published' if result.published else 'kept'} {where}")
    if result.published:
        print(f"see what is in it: livewh summary{'' if args.db is None else ' --db ' + args.db}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """``livewh check``."""
    from livewh.progress import step
    from livewh.quality import QualityOptions, run_quality

    db_path = resolve_db_path(args.db)
    if not db_path.is_file():
        raise LivewhError(f"no warehouse file at '{display(db_path)}'. Pass --db PATH.")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out_dir = _path_or_default(args.out, build_root(db_path) / "checks" / stamp)
    with step("quality checks") as current:
        report = run_quality(
            QualityOptions(
                db_path,
                out_dir,
                _as_of_date(args.as_of),
                args.freshness_days,
                raw_views_allowed=args.allow_raw_views,
            ),
            current,
        )
        current.result = report.headline()
    print("\n".join(report.summary_lines()))
    return 0 if report.passed else EXIT_FAILED


def _find_run(published: Path, run: str | None) -> Path:
    from livewh.build import RUN_ID

    root = build_root(published)
    if run:
        candidate_dir = Path(run).expanduser()
        run_dir = candidate_dir.resolve() if candidate_dir.is_dir() else root / run
        if not (run_dir / published.name).is_file():
            raise LivewhError(f"no build to publish in '{display(run_dir)}' (no {published.name} there).")
        return run_dir
    runs = sorted(
        path
        for path in (root.iterdir() if root.is_dir() else [])
        if RUN_ID.match(path.name) and (path / published.name).is_file()
    )
    if not runs:
        raise LivewhError(
            f"no unpublished build in '{display(root)}'. Run `livewh build --no-publish` first."
        )
    return runs[-1]


def cmd_publish(args: argparse.Namespace) -> int:
    """``livewh publish``."""
    from livewh.build import audit, build_lock
    from livewh.progress import step
    from livewh.publish import publish

    published = resolve_db_path(args.db)
    run_dir = _find_run(published, args.run)
    candidate = run_dir / published.name
    with build_lock(build_root(published)):
        if args.skip_checks:
            say("quality checks skipped (--skip-checks)")
        else:
            audit(candidate, run_dir / "quality", _as_of_date(args.as_of), args.freshness_days, run_dir)
        with step("publish") as current:
            info = publish(candidate, published)
            current.result = f"{display(published)} replaced atomically (run {info.run_id})"
    print(f"published run {info.run_id} as {display(published)}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """``livewh export``."""
    from livewh.export import export
    from livewh.progress import step

    db_path = resolve_db_path(args.db)
    with step(f"export ({args.format})") as current:
        result = export(db_path, _path_or_default(args.out, DEFAULT_EXPORT_DIR), args.format, args.tables)
        current.result = f"{len(result.manifest['files'])} file(s)"
    print(f"exported to {display(result.folder)} (manifest: {display(result.manifest_path)})")
    return 0


def cmd_audience(args: argparse.Namespace) -> int:
    """``livewh audience``."""
    from livewh.audience import write_audience

    db_path = resolve_db_path(args.db)
    result = write_audience(
        db_path,
        args.name,
        _path_or_default(args.out, DEFAULT_AUDIENCE_DIR),
        args.filter,
        args.tag,
        everyone=args.everyone,
        control_share=args.control_share,
        control_seed=args.control_seed,
    )
    manifest = result.manifest
    if result.is_empty:
        criteria = " and ".join(manifest["filters"] + manifest["tags"]) or "--all"
        warn(f"audience '{args.name}' is empty: no customer matches {criteria}.")
    print(
        f"audience {args.name}: {manifest['customers']} customer(s), "
        f"{manifest['customers_with_email']} with an email hash, "
        f"{manifest['customers_with_phone']} with a phone hash -> {display(result.csv_path)}"
    )
    if result.control_path is not None:
        print(
            f"control group: {manifest['control_customers']} customer(s) held out (share "
            f"{manifest['control_share']}, seed {manifest['control_seed']}) -> {display(result.control_path)}"
        )
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    """``livewh docs``."""
    from livewh.docs import render_docs

    db_path = resolve_db_path(args.db)
    result = render_docs(db_path, _path_or_default(args.out, build_root(db_path) / "docs"))
    print(f"dbt docs of run {result.run_id}: open {display(result.static_page)} in a browser")
    print(f"  or serve them: dbt docs serve --target-path {display(result.target_dir)}")
    return 0


def cmd_demo_doc(args: argparse.Namespace) -> int:
    """``livewh demo-doc``."""
    from livewh.demo_doc import DEFAULT_PAGE, update_page
    from livewh.progress import step

    page = _path_or_default(args.page, DEFAULT_PAGE)
    with step("measure the demo's figures") as current:
        current_page, diff = update_page(
            resolve_db_path(args.db), resolve_raw_dir(args.raw_dir), page, check=args.check
        )
        current.result = "the page is current" if current_page else "the page differs"
    if current_page:
        print(f"{display(page)} is current")
        return 0
    if args.check:
        print(diff, end="")
        print(f"{display(page)} is not current: run `livewh demo-doc` (after `make demo`) to rewrite it")
        return EXIT_FAILED
    print(f"rewrote the measured blocks of {display(page)}")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    """``livewh summary``."""
    from livewh.summary import summary_lines

    print("\n".join(summary_lines(resolve_db_path(args.db))))
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    """``livewh dashboard``."""
    from livewh.dashboard import serve

    return serve(resolve_db_path(args.db), args.port, args.address)


def cmd_report(args: argparse.Namespace) -> int:
    """``livewh report``."""
    from livewh.review import write_report

    on = None
    if args.date:
        try:
            on = date.fromisoformat(args.date)
        except ValueError as error:
            raise LivewhError(f"--date must be a date like 2025-06-30, not '{args.date}'.") from error
    report = write_report(
        resolve_db_path(args.db), args.period, Path(args.out).expanduser().resolve() if args.out else None, on
    )
    print(f"review of {args.period} {report.period_label}: {display(report.path)}")
    return 0


def cmd_metrics(args: argparse.Namespace) -> int:
    """``livewh metrics``."""
    from livewh.semantic import run_mf

    arguments = list(args.mf_args)
    if arguments and arguments[0] == "--":
        arguments = arguments[1:]
    if not arguments:
        raise LivewhError(
            "name an mf command, e.g. `livewh metrics list metrics` or "
            "`livewh metrics query --metrics net_gmv_usd --group-by metric_time__month`."
        )
    return run_mf(resolve_db_path(args.db), arguments)


_TEARDOWN_SILENCED = False


def _silence_teardown_noise() -> None:
    """Hide the nanobind "leaked instances" report duckdb 2.0 prints at interpreter exit.

    After great-expectations has been imported, the duckdb extension module outlives Python's
    module teardown and nanobind reports its objects as leaked on stderr (harmless; the process
    is ending). This runs as the last atexit handler, after all our output is flushed.
    """
    if "great_expectations" not in sys.modules:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the sub-command; return the exit code."""
    global _TEARDOWN_SILENCED
    if not _TEARDOWN_SILENCED:
        atexit.register(_silence_teardown_noise)
        _TEARDOWN_SILENCED = True
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None) or getattr(args, "func", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(handler(args) or 0)
    except LivewhError as error:
        print(f"livewh: error: {error.message}", file=sys.stderr, flush=True)
        return error.exit_code
    except KeyboardInterrupt:
        print("livewh: interrupted", file=sys.stderr, flush=True)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
