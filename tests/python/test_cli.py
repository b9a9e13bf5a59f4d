"""The ``livewh`` entry point: help, sub-commands, and errors without tracebacks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliResult, run_livewh

COMMANDS = (
    "generate",
    "build",
    "check",
    "publish",
    "export",
    "audience",
    "docs",
    "demo-doc",
    "summary",
    "predict",
    "erase",
    "dashboard",
    "report",
    "metrics",
)


def test_help_lists_every_command() -> None:
    result = run_livewh("--help")
    assert result.code == 0
    for command in COMMANDS:
        assert command in result.out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, run_cli: Callable[..., CliResult]) -> None:
    with pytest.raises(SystemExit) as raised:
        run_cli(command, "--help")
    assert raised.value.code == 0


def test_no_command_prints_help_and_fails(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli()
    assert result.code == 2 and "usage: livewh" in result.err


def test_unknown_command_is_a_usage_error() -> None:
    result = run_livewh("bild")
    assert result.code == 2 and "invalid choice" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize(
    "command", ["summary", "export", "audience", "predict", "dashboard", "report", "metrics", "docs"]
)
def test_missing_warehouse_file(command: str, tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    extra = {"audience": ["--name", "x", "--all"], "metrics": ["list", "metrics"]}.get(command, [])
    result = run_cli(command, "--db", tmp_path / "missing.duckdb", *extra)
    assert result.code == 2
    assert "no warehouse file at" in result.err and "missing.duckdb" in result.err
    assert "Traceback" not in result.output


def test_bad_as_of_date(tmp_path: Path, minimal_raw: Path, run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("build", "--db", tmp_path / "w.duckdb", "--raw-dir", minimal_raw, "--as-of", "yesterday")
    assert result.code == 2 and "must be a date like" in result.err


def test_environment_variables_choose_the_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Callable[..., CliResult]
) -> None:
    monkeypatch.setenv("LIVEWH_DB_PATH", str(tmp_path / "from-env.duckdb"))
    result = run_cli("summary")
    assert result.code == 2 and "from-env.duckdb" in result.err
    monkeypatch.setenv("LIVEWH_RAW_DIR", str(tmp_path / "raw-from-env"))
    result = run_cli("build")
    assert result.code == 2 and "raw-from-env" in result.err


def test_publish_without_a_kept_build(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("publish", "--db", tmp_path / "warehouse.duckdb")
    assert result.code == 2 and "no unpublished build" in result.err


def test_erase_is_reserved(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("erase")
    assert result.code == 2 and "not implemented yet" in result.err


def test_module_entry_point_runs() -> None:
    result = run_livewh("--version")
    assert result.code == 0 and result.out.startswith("livewh ")
