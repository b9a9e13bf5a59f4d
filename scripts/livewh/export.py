"""``livewh export``: every relation of schema ``main`` to Parquet (or CSV), with a manifest.

The warehouse is opened read-only (an export never blocks a build). Files go to
``<out>/<observation end>_<run_id>/`` (the observation end is the date the figures are "as of";
the build date when the file has none), one file per relation, plus ``manifest.json``: per file
its rows, columns and types, SHA-256 and size; and the build's run id, build time and
observation end from ``main.warehouse_build_info``. The folder is written under a temporary name
and renamed when complete, so a reader never sees a half-written export.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from livewh.errors import LivewhError
from livewh.paths import display
from livewh.quality.report import json_default
from livewh.warehouse import BUILD_INFO, columns, connect_read_only, read_build_info, relations, sql_string

Format = Literal["parquet", "csv"]
EXPORT_SCHEMA = "main"
#: The build stamp is described in the manifest instead of exported as a file.
NOT_EXPORTED = frozenset({BUILD_INFO})


@dataclass(frozen=True)
class ExportResult:
    """Where the export went and what it holds."""

    folder: Path
    manifest: dict[str, Any]

    @property
    def manifest_path(self) -> Path:
        """The manifest file."""
        return self.folder / "manifest.json"


def sha256_of(path: Path) -> str:
    """SHA-256 hex digest of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def export(
    db_path: Path, out_dir: Path, file_format: Format = "parquet", tables: list[str] | None = None
) -> ExportResult:
    """Export the ``main`` relations of a warehouse file; return the folder and its manifest."""
    with connect_read_only(db_path) as connection:
        available = [rel for rel in relations(connection, (EXPORT_SCHEMA,)) if rel.name not in NOT_EXPORTED]
        names = [rel.name for rel in available]
        if tables:
            unknown = [name for name in tables if name not in names]
            if unknown:
                raise LivewhError(
                    f"unknown table(s) in schema main: {', '.join(unknown)}. "
                    f"Valid: {', '.join(names) or '(none)'}."
                )
            chosen = [rel for rel in available if rel.name in tables]
        else:
            chosen = available
        if not chosen:
            raise LivewhError(f"'{display(db_path)}' has no relation in schema main to export.")
        info = read_build_info(connection)
        run_id = info.run_id if info else "unstamped"
        stamp_date = info.as_of_date or info.built_at.date() if info else datetime.now(UTC).date()
        folder = out_dir / f"{stamp_date.isoformat()}_{run_id}"
        staging = out_dir / f".{folder.name}.partial"
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir(parents=True)
        files = []
        for relation in chosen:
            target = staging / f"{relation.name}.{file_format}"
            options = (
                "format parquet, compression zstd" if file_format == "parquet" else "format csv, header true"
            )
            connection.execute(
                f"copy (select * from {relation.qualified}) to {sql_string(str(target))} ({options})"
            )
            (rows,) = connection.execute(f"select count(*) from {relation.qualified}").fetchone() or (0,)
            files.append(
                {
                    "file": target.name,
                    "relation": str(relation),
                    "rows": int(rows),
                    "columns": [
                        {"name": name, "type": data_type}
                        for name, data_type in columns(connection, relation.schema, relation.name)
                    ],
                    "bytes": target.stat().st_size,
                    "sha256": sha256_of(target),
                }
            )
    manifest = {
        "source": str(db_path),
        "format": file_format,
        "exported_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "run_id": run_id,
        "built_at": info.built_at.isoformat() if info else None,
        "observation_end": info.as_of_date.isoformat() if info and info.as_of_date else None,
        "observation_end_source": info.as_of_date_source if info else None,
        "files": files,
    }
    (staging / "manifest.json").write_text(
        json.dumps(manifest, indent=2, default=json_default), encoding="utf-8"
    )
    if folder.exists():
        shutil.rmtree(folder)
    staging.rename(folder)
    return ExportResult(folder, manifest)
