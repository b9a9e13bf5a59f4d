"""Demo raw data for the warehouse: a cross-border live-commerce shop, written as raw-contract files.

``register(subparsers)`` adds the ``generate`` sub-command to the ``livewh`` CLI;
``generate(GenerateConfig(...))`` does the same from Python and returns a :class:`GenerationReport`
(a dict of table -> rows written, with ``.paths``, ``.bad_rows``, ``.out`` and ``.seconds``).
See docs/demo-data.md for what the data contains and which effects are planted in it.
"""

from livewh.generate.cli import register, run
from livewh.generate.config import PROFILES, GenerateConfig
from livewh.generate.pipeline import GenerationReport, generate
from livewh.generate.tables import CONTRACT, CONTRACT_TABLES

__all__ = [
    "CONTRACT",
    "CONTRACT_TABLES",
    "PROFILES",
    "GenerateConfig",
    "GenerationReport",
    "generate",
    "register",
    "run",
]
