"""Every macro and generic test of the project is described in ``macros/_macros.yml``.

dbt docs shows a macro's description and arguments only from a YAML file, so a macro missing
there (or documented under a name that no longer exists, or with arguments its signature does not
have) is a documentation gap. A dispatched macro's engine implementations (``duckdb__``, ``default__``,
``spark__``) may be described too, or left to the macro that dispatches to them.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[2]
MACRO_DEFINITION = re.compile(r"{%-?\s*(macro|test)\s+(\w+)\s*\(([^)]*)\)")
ENGINE_PREFIXES = ("duckdb__", "default__", "spark__")


def _defined() -> dict[str, list[str]]:
    """Name -> argument names of every macro and generic test defined in macros/ and tests/generic/."""
    defined: dict[str, list[str]] = {}
    files = [*PROJECT.joinpath("macros").rglob("*.sql"), *PROJECT.joinpath("tests", "generic").rglob("*.sql")]
    for path in files:
        for kind, name, arguments in MACRO_DEFINITION.findall(path.read_text(encoding="utf-8")):
            names = [part.split("=")[0].strip() for part in arguments.split(",") if part.strip()]
            # dbt turns `{% test x %}` into the macro test_x, the name its YAML uses
            defined[f"test_{name}" if kind == "test" else name] = names
    return defined


def _documented() -> dict[str, list[str]]:
    document = yaml.safe_load(PROJECT.joinpath("macros", "_macros.yml").read_text(encoding="utf-8"))
    return {
        entry["name"]: [argument["name"] for argument in entry.get("arguments") or []]
        for entry in document["macros"]
        if entry.get("description")
    }


def test_every_macro_is_documented_and_every_documented_macro_exists() -> None:
    defined, documented = _defined(), _documented()
    assert len(defined) > 50  # the scan found the project's macros
    engine_specific = {name for name in defined if name.startswith(ENGINE_PREFIXES)}
    assert sorted(set(defined) - engine_specific - set(documented)) == []
    assert sorted(set(documented) - set(defined)) == []


def test_documented_arguments_match_the_signatures() -> None:
    defined, documented = _defined(), _documented()
    mismatched = {
        name: (documented[name], arguments)
        for name, arguments in defined.items()
        if name in documented
        # a generic test's model/column_name arguments are implied by dbt
        and [a for a in documented[name] if a not in ("model", "column_name")]
        != [a for a in arguments if a not in ("model", "column_name")]
    }
    assert mismatched == {}
