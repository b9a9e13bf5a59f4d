"""livewh: customer analytics warehouse for cross-border live-stream commerce."""

from pathlib import Path

__version__ = "0.1.0"

#: The project root (the folder holding dbt_project.yml).
PROJECT_ROOT = Path(__file__).resolve().parents[2]
