"""The enumerations are kept once (dbt_project.yml vars.enumerations) and everything reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from livewh import PROJECT_ROOT
from livewh.enumerations import UnknownEnumerationError, enum_values, enumerations
from livewh.generate import bad_rows, live, markets, orders, people
from livewh.quality import suites


def declared() -> dict[str, list[str]]:
    return yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"][
        "enumerations"
    ]


def test_values_come_from_dbt_project_in_their_order() -> None:
    assert {name: list(values) for name, values in enumerations().items()} == declared()
    assert enum_values("order_status")[0] == declared()["order_status"][0]


def test_extra_values_follow_the_enumeration_and_unknown_names_are_errors() -> None:
    assert enum_values("sales_channel", ("unknown",)) == (*declared()["sales_channel"], "unknown")
    with pytest.raises(UnknownEnumerationError, match="unknown enumeration 'order_statuses'"):
        enum_values("order_statuses")


def test_a_project_file_without_enumerations_is_an_error(tmp_path: Path) -> None:
    project = tmp_path / "dbt_project.yml"
    project.write_text("name: x\nvars:\n  other: 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="vars.enumerations is missing"):
        enumerations(project)


def test_the_quality_suites_and_the_generator_read_the_same_enumerations() -> None:
    assert suites.ORDER_STATUSES == orders.STATUSES == enum_values("order_status")
    assert suites.EVENT_TYPES == live.EVENT_TYPES == enum_values("live_event_type")
    assert suites.IDENTIFIER_TYPES == people.IDENTIFIER_TYPES == enum_values("identifier_type")
    assert suites.ACQUISITION_CHANNELS == markets.CHANNEL_TAXONOMY == enum_values("acquisition_channel")
    assert set(live.PLATFORMS) | {"other", "unknown"} == set(suites.PLATFORMS)
    assert set(orders.SALES_CHANNELS) | {"unknown"} == set(suites.SALES_CHANNELS)
    assert set(bad_rows.REASONS) < set(suites.QUARANTINE_REASONS)
    assert set(suites.QUARANTINE_REASONS) - set(bad_rows.REASONS) == bad_rows.NOT_PLANTED


def test_no_copy_of_an_enumeration_is_left_in_the_python_package() -> None:
    # a literal run of three values of an enumeration, in order, is a copy that can drift
    copies = []
    for name, values in enumerations().items():
        needle = ", ".join(f'"{value}"' for value in values[:3])
        for path in (PROJECT_ROOT / "scripts" / "livewh").rglob("*.py"):
            if needle in path.read_text(encoding="utf-8"):
                copies.append((name, path.name))
    assert copies == []
