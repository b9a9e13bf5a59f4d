"""Compare warehouse files by content: a fingerprint of every relation of a schema.

A relation's fingerprint is its row count, the sum of DuckDB's 64-bit ``hash()`` of every whole
row (a multiset hash: independent of row order, but a changed, added, removed or duplicated row
changes it; every bit of a DOUBLE counts, so 0.1 + 0.2 summed in another order differs), and the
same sum per column, to tell which columns differ. Two builds are "identical" when every
fingerprint agrees.

``python -m livewh.fingerprint A.duckdb B.duckdb [--schema main] [--exclude NAME ...]`` prints
the relations (and columns) that differ, and exits 1 when any does.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from livewh.warehouse import BUILD_INFO, columns, connect_read_only, quote, relations

#: Relations left out by default: the build stamp differs on every build by design (run id, time).
DEFAULT_EXCLUDE = (BUILD_INFO,)
ROW_ALIAS = "fingerprinted_row"


@dataclass(frozen=True)
class Fingerprint:
    """Content summary of one relation."""

    rows: int
    row_hash: int
    column_hashes: tuple[tuple[str, int], ...]


def fingerprint_relation(connection: object, schema: str, name: str) -> Fingerprint:
    """The fingerprint of ``schema.name`` (one scan)."""
    names = [column for column, _ in columns(connection, schema, name)]  # type: ignore[arg-type]
    per_column = ", ".join(f"coalesce(sum(hash({quote(column)})::hugeint), 0)" for column in names)
    query = (
        f"select count(*), coalesce(sum(hash({ROW_ALIAS})::hugeint), 0)"
        f"{', ' + per_column if per_column else ''} "
        f"from {quote(schema)}.{quote(name)} as {ROW_ALIAS}"
    )
    row = connection.execute(query).fetchone()  # type: ignore[attr-defined]
    return Fingerprint(int(row[0]), int(row[1]), tuple(zip(names, map(int, row[2:]), strict=True)))


def fingerprints(
    db_path: Path, schema: str = "main", exclude: Iterable[str] = DEFAULT_EXCLUDE
) -> dict[str, Fingerprint]:
    """Fingerprints of every table and view of ``schema`` in a file (opened read-only)."""
    skipped = set(exclude)
    with connect_read_only(db_path) as connection:
        return {
            relation.name: fingerprint_relation(connection, relation.schema, relation.name)
            for relation in relations(connection, (schema,))
            if relation.name not in skipped
        }


def differences(left: dict[str, Fingerprint], right: dict[str, Fingerprint]) -> dict[str, str]:
    """Relation -> what differs (missing on one side, row count, or the columns whose values differ)."""
    found: dict[str, str] = {}
    for name in sorted(set(left) | set(right)):
        if name not in right or name not in left:
            found[name] = f"only in the {'first' if name in left else 'second'} file"
            continue
        first, second = left[name], right[name]
        if first == second:
            continue
        parts = []
        if first.rows != second.rows:
            parts.append(f"{first.rows} vs {second.rows} rows")
        first_columns, second_columns = dict(first.column_hashes), dict(second.column_hashes)
        if list(first_columns) != list(second_columns):
            parts.append("different columns")
        else:
            differing = [name for name, value in first_columns.items() if second_columns[name] != value]
            if differing:
                parts.append("values differ in " + ", ".join(differing))
        found[name] = "; ".join(parts) or "rows differ"
    return found


def main(argv: list[str] | None = None) -> int:
    """Command line: compare two files; exit 1 when they differ."""
    parser = argparse.ArgumentParser(prog="python -m livewh.fingerprint", description=__doc__.split("\n")[0])
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    parser.add_argument("--schema", default="main")
    parser.add_argument("--exclude", nargs="*", default=list(DEFAULT_EXCLUDE), metavar="NAME")
    args = parser.parse_args(argv)
    left = fingerprints(args.first, args.schema, args.exclude)
    right = fingerprints(args.second, args.schema, args.exclude)
    found = differences(left, right)
    for name, what in found.items():
        print(f"{args.schema}.{name}: {what}")
    print(
        f"{len(set(left) | set(right))} relation(s) of schema {args.schema} compared by content "
        f"(excluded: {', '.join(args.exclude) or 'none'}); {len(found)} differ"
    )
    return 1 if found else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
