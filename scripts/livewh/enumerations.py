"""Every enumeration the warehouse knows, read from the one place they are kept.

The values live in ``dbt_project.yml`` under ``vars.enumerations`` (order statuses, event
types, channels, platforms, quarantine reasons, segment values...). The dbt models and the
accepted_values tests read them with the ``enum_values`` macro; the great-expectations suites
(``livewh.quality.suites``) and the demo data generator (``livewh.generate``) read them here,
so an enumeration is never written twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import yaml

from livewh import PROJECT_ROOT

#: The dbt project file holding ``vars.enumerations``.
DBT_PROJECT_YML = PROJECT_ROOT / "dbt_project.yml"


class UnknownEnumerationError(KeyError):
    """An enumeration name that ``vars.enumerations`` does not define."""


@cache
def enumerations(project_yml: Path = DBT_PROJECT_YML) -> dict[str, tuple[str, ...]]:
    """All enumerations of ``vars.enumerations``, name -> values in their declared order."""
    document = yaml.safe_load(project_yml.read_text(encoding="utf-8"))
    declared = (document.get("vars") or {}).get("enumerations")
    if not isinstance(declared, dict) or not declared:
        raise ValueError(f"{project_yml}: vars.enumerations is missing or empty")
    return {str(name): tuple(str(value) for value in values) for name, values in declared.items()}


def enum_values(name: str, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The values of one enumeration, followed by ``extra`` (as the ``enum_values`` macro does)."""
    declared = enumerations()
    if name not in declared:
        raise UnknownEnumerationError(f"unknown enumeration {name!r}; known: {', '.join(declared)}")
    return declared[name] + tuple(extra)
