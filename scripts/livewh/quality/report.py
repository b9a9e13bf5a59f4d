"""Outcome of a quality run: one record per check, a readable summary, and JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from livewh.paths import display

Status = Literal["passed", "failed", "skipped"]
MAX_SAMPLE_CHARS = 80


@dataclass(frozen=True)
class CheckOutcome:
    """The verdict of one check on one relation."""

    suite: str
    relation: str
    column: str | None
    check: str
    severity: str
    status: Status
    message: str = ""
    samples: tuple[str, ...] = ()

    @property
    def is_error(self) -> bool:
        """A failed check of error severity (blocks publishing)."""
        return self.status == "failed" and self.severity == "error"

    @property
    def is_warning(self) -> bool:
        """A failed check of warning severity (reported only)."""
        return self.status == "failed" and self.severity != "error"


@dataclass
class QualityReport:
    """All outcomes of a run, plus where its files are."""

    db_path: Path
    out_dir: Path
    outcomes: list[CheckOutcome] = field(default_factory=list)
    skipped_suites: list[str] = field(default_factory=list)
    as_of_date: date | None = None
    elapsed_seconds: float = 0.0

    @property
    def errors(self) -> list[CheckOutcome]:
        """Failed error-level checks."""
        return [outcome for outcome in self.outcomes if outcome.is_error]

    @property
    def warnings(self) -> list[CheckOutcome]:
        """Failed warning-level checks."""
        return [outcome for outcome in self.outcomes if outcome.is_warning]

    @property
    def passed(self) -> bool:
        """True when no error-level check failed."""
        return not self.errors

    @property
    def results_json(self) -> Path:
        """Our summary as JSON."""
        return self.out_dir / "results.json"

    @property
    def data_docs_index(self) -> Path:
        """great-expectations' HTML Data Docs entry page."""
        return self.out_dir / "data_docs" / "index.html"

    def headline(self) -> str:
        """One line: how many checks ran and how they ended."""
        ran = [outcome for outcome in self.outcomes if outcome.status != "skipped"]
        passed = sum(outcome.status == "passed" for outcome in ran)
        return (
            f"{len(ran)} checks: {passed} passed, {len(self.errors)} error(s), "
            f"{len(self.warnings)} warning(s)"
        )

    def summary_lines(self) -> list[str]:
        """The readable summary: headline, then one line per failed check (errors first)."""
        lines = [f"quality checks on {display(self.db_path)}: {self.headline()}"]
        for outcome in [*self.errors, *self.warnings]:
            where = outcome.relation + (f".{outcome.column}" if outcome.column else "")
            line = f"  {outcome.severity.upper():<7} {outcome.check:<28} {where}: {outcome.message}"
            if outcome.samples:
                line += f" | samples: {', '.join(outcome.samples)}"
            lines.append(line)
        if self.skipped_suites:
            lines.append(f"  skipped: {'; '.join(self.skipped_suites)}")
        lines.append(f"  results: {display(self.results_json)}")
        lines.append(f"  data docs: {display(self.data_docs_index)}")
        return lines

    def to_json(self) -> dict[str, Any]:
        """Everything as JSON-ready data."""
        return {
            "db_path": str(self.db_path),
            "as_of_date": self.as_of_date,
            "passed": self.passed,
            "headline": self.headline(),
            "elapsed_seconds": round(self.elapsed_seconds, 2),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "skipped_suites": self.skipped_suites,
            "checks": [asdict(outcome) for outcome in self.outcomes],
        }

    def write_json(self) -> Path:
        """Write results.json into the output folder."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.results_json.write_text(
            json.dumps(self.to_json(), indent=2, default=json_default), encoding="utf-8"
        )
        return self.results_json


def json_default(value: Any) -> Any:
    """JSON encoding for the values DuckDB returns."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Path):
        return str(value)
    return str(value)


def sample_text(value: Any) -> str:
    """A sample value as a short string."""
    if isinstance(value, dict):
        text = ", ".join(f"{key}={sample_text(item)}" for key, item in value.items())
        text = "{" + text + "}"
    elif isinstance(value, datetime | date):
        text = value.isoformat()
    else:
        text = str(value)
    return text if len(text) <= MAX_SAMPLE_CHARS else text[: MAX_SAMPLE_CHARS - 3] + "..."
