"""Run dbt as a subprocess against a chosen DuckDB file and raw folder, and explain failures.

dbt runs in its own process (clean global state, and the DuckDB file lock is released when it
exits), from the project root with the project-local ``profiles.yml``. Each run gets its own
``--target-path`` and ``--log-path`` so builds never collide with a developer's ``target/``,
and the run's ``run_results.json`` stays with the build for inspection.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from livewh import PROJECT_ROOT
from livewh.errors import LivewhError
from livewh.paths import ENV_AS_OF_DATE, ENV_DB_PATH, ENV_RAW_DIR
from livewh.progress import Step

ANSI = re.compile(r"\x1b\[[0-9;]*m")
TIMESTAMP = re.compile(r"^\d{2}:\d{2}:\d{2}\s+")
NODE_DONE = re.compile(r"^\d+ of (\d+) (OK|PASS|WARN|ERROR|FAIL|SKIP)\b")
ERROR_HEADER = re.compile(r"(Compilation|Runtime|Database|Parsing|Dependency) Error|Encountered an error")
FAILED_STATUSES = {"error", "fail", "runtime error"}
HEARTBEAT_SECONDS = 10.0
PARTIAL_PARSE = "partial_parse.msgpack"


@dataclass
class DbtRun:
    """The outcome of one dbt invocation."""

    command: list[str]
    returncode: int
    target_dir: Path
    log_dir: Path
    elapsed: float
    output: list[str] = field(default_factory=list)
    node_counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when dbt exited 0."""
        return self.returncode == 0

    def failures(self) -> list[str]:
        """One line per failed node (model, test, seed, snapshot) from run_results.json."""
        results_file = self.target_dir / "run_results.json"
        if not results_file.exists():
            return []
        try:
            results = json.loads(results_file.read_text(encoding="utf-8")).get("results", [])
        except (OSError, ValueError):
            return []
        lines = []
        for result in results:
            if str(result.get("status", "")).lower() not in FAILED_STATUSES:
                continue
            unique_id = str(result.get("unique_id", "?"))
            resource_type, _, rest = unique_id.partition(".")
            name = rest.split(".", 1)[1] if "." in rest else rest
            if resource_type == "test":
                name = name.rsplit(".", 1)[0]
            message = " ".join(str(result.get("message") or result.get("status")).split())
            lines.append(f"{resource_type} {name}: {message[:300]}")
        return lines

    def error_excerpt(self, max_lines: int = 10) -> list[str]:
        """The error block dbt printed (for a failure before any node ran, e.g. in a hook)."""
        for index, line in enumerate(self.output):
            if ERROR_HEADER.search(line):
                block = [text for text in self.output[index : index + max_lines] if text.strip()]
                return block
        return [line for line in self.output[-max_lines:] if line.strip()]

    def explain(self) -> str:
        """What failed, for the user: failed nodes, else dbt's error message."""
        failed = self.failures()
        lines = failed if failed else self.error_excerpt()
        return "\n".join(f"    {line}" for line in lines)


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    """Copy a process's output lines into a queue; None marks the end."""
    for line in stream:
        lines.put(line)
    lines.put(None)


def dbt_command() -> list[str]:
    """The dbt executable of this environment (beside the running Python), else the one on PATH."""
    beside = Path(sys.executable).with_name("dbt")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("dbt")
    if found:
        return [found]
    raise LivewhError("dbt is not installed in this environment; run `make demo` (it creates .venv).")


def dbt_env(db_path: Path, raw_dir: Path, as_of: str | None) -> dict[str, str]:
    """The environment dbt reads its settings from (see profiles.yml and dbt_project.yml vars)."""
    env = dict(os.environ)
    env[ENV_DB_PATH] = str(db_path)
    env[ENV_RAW_DIR] = str(raw_dir)
    env[ENV_AS_OF_DATE] = as_of or ""
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    return env


def run_dbt(
    args: list[str],
    *,
    db_path: Path,
    raw_dir: Path,
    as_of: str | None,
    work_dir: Path,
    parse_cache: Path | None = None,
    step: Step | None = None,
    verbose: bool = False,
) -> DbtRun:
    """Run ``dbt <args>`` into ``db_path``; stream progress; never raise on a dbt failure.

    ``parse_cache`` is a folder keeping dbt's ``partial_parse.msgpack`` between runs: it is copied
    into this run's target folder before dbt starts and back afterwards, so a run re-parses only
    what changed (dbt itself decides when the saved state is stale, e.g. a different profile).
    """
    target_dir = work_dir / "target"
    log_dir = work_dir / "logs"
    if parse_cache is not None and (parse_cache / PARTIAL_PARSE).is_file():
        target_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy2(parse_cache / PARTIAL_PARSE, target_dir / PARTIAL_PARSE)
    command = [
        *dbt_command(),
        *args,
        "--project-dir",
        str(PROJECT_ROOT),
        "--profiles-dir",
        str(PROJECT_ROOT),
        "--target-path",
        str(target_dir),
        "--log-path",
        str(log_dir),
        "--no-use-colors",
    ]
    started = time.monotonic()
    run = DbtRun(command, -1, target_dir, log_dir, 0.0)
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=dbt_env(db_path, raw_dir, as_of),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    assert process.stdout is not None
    # A reader thread feeds a queue, so progress lines keep coming while one long node runs.
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True).start()
    last_beat = started
    done = total = 0
    while True:
        try:
            raw_line = lines.get(timeout=HEARTBEAT_SECONDS)
        except queue.Empty:
            raw_line = ""
        if raw_line is None:
            break
        if raw_line:
            line = TIMESTAMP.sub("", ANSI.sub("", raw_line.rstrip("\n")))
            run.output.append(line)
            match = NODE_DONE.match(line)
            if match:
                done += 1
                total = int(match.group(1))
                status = match.group(2)
                run.node_counts[status] = run.node_counts.get(status, 0) + 1
                if step is not None and not verbose and status in {"ERROR", "FAIL", "WARN"}:
                    step.note(line)
            if verbose:
                print(f"    dbt | {line}", file=sys.stderr, flush=True)
        if step is not None and not verbose and time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
            last_beat = time.monotonic()
            step.note(f"{done} of {total} nodes done" if total else "parsing the project")
    run.returncode = process.wait()
    run.elapsed = time.monotonic() - started
    if parse_cache is not None and (target_dir / PARTIAL_PARSE).is_file():
        parse_cache.mkdir(parents=True, exist_ok=True)
        shutil.copy2(target_dir / PARTIAL_PARSE, parse_cache / PARTIAL_PARSE)
    return run
