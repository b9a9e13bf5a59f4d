"""``livewh summary``: what is in the published warehouse, where it is, and how to query it."""

from __future__ import annotations

from pathlib import Path

from livewh.fx import rate_gap_messages
from livewh.paths import display
from livewh.warehouse import connect_read_only, read_build_info, relations

SUMMARY_SCHEMAS = ("main",)


def summary_lines(db_path: Path) -> list[str]:
    """Row counts of the main relations, the build stamp, the file, and how to connect."""
    with connect_read_only(db_path) as connection:
        info = read_build_info(connection)
        found = relations(connection, SUMMARY_SCHEMAS)
        counts = []
        for relation in found:
            (rows,) = connection.execute(f"select count(*) from {relation.qualified}").fetchone() or (0,)
            counts.append((str(relation), relation.kind, int(rows)))
        rate_gaps = rate_gap_messages(connection)
    size_mb = db_path.stat().st_size / 1_000_000
    lines = [f"warehouse: {db_path} ({size_mb:.1f} MB)"]
    if info is not None:
        lines.append(
            f"built: run {info.run_id} at {info.built_at:%Y-%m-%d %H:%M:%S} UTC from {info.raw_data_dir}; "
            f"observation end {info.as_of_date} ({info.as_of_date_source})"
        )
        if info.dbt_selection:
            lines.append(f"partial build: only dbt nodes {info.dbt_selection}")
    else:
        lines.append("built: no build stamp (main.warehouse_build_info); not built by `livewh build`")
    width = max((len(name) for name, _, _ in counts), default=10)
    lines.append(f"{len(counts)} relations in schema main:")
    lines += [
        f"  {name:<{width}}  {rows:>12,}{'  (view)' if kind == 'view' else ''}" for name, kind, rows in counts
    ]
    if rate_gaps:
        lines.append("orders without an exchange rate (main.rpt_fx_rate_gaps):")
        lines += [f"  {message}" for message in rate_gaps]
    shown = display(db_path)
    lines += [
        "query it (read-only, never blocks a build):",
        f'  duckdb -readonly {shown} "select * from main.rpt_raw_reconciliation"',
        f'  python -c "import duckdb; '
        f"print(duckdb.connect('{shown}', read_only=True).sql('show all tables'))\"",
    ]
    return lines
