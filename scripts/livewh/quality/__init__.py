"""Data-quality checks with great-expectations, evaluated inside DuckDB.

``suites.py`` declares what is checked, ``runner.py`` runs it, ``engine.py`` holds the fix that
makes great-expectations' SQL datasource work with duckdb-engine, ``report.py`` the results.
"""

from livewh.quality.report import CheckOutcome, QualityReport
from livewh.quality.runner import DEFAULT_FRESHNESS_DAYS, QualityOptions, run_quality

__all__ = ["DEFAULT_FRESHNESS_DAYS", "CheckOutcome", "QualityOptions", "QualityReport", "run_quality"]
