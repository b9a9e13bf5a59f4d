"""Run one command and measure it from the outside: wall time, peak memory of its whole process
tree, and the peak size of a DuckDB temp directory (its spill to disk).

CPU time (user + system) comes from the operating system's accounting of waited-for children, so
it counts the whole tree and, unlike wall time, hardly depends on what else the machine runs.
Every ``interval`` seconds (0.2 by default) the sampler sums the resident set size (RSS) of the
process and all its descendants (dbt runs DuckDB in its own process; dbt may start more), and the
allocated size of every file under the temp directory. Peaks are the largest sums seen, so a peak
shorter than the interval can be missed; the interval is in the result.

A run can be stopped: after ``timeout`` seconds, or when the spill passes ``max_spill_bytes`` (so a
runaway build cannot fill the disk). Only the measured process and its descendants are stopped.
"""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

HEARTBEAT_SECONDS = 15.0


@dataclass
class Measured:
    """The outcome of one measured command."""

    label: str
    command: list[str]
    returncode: int
    wall_seconds: float
    peak_rss_bytes: int
    peak_spill_bytes: int
    interval_seconds: float
    cpu_seconds: float  # user + system time of the process and the descendants it waited for
    log_path: Path
    stopped: str | None = None  # why the run was stopped (timeout, spill), None when it ended itself
    samples: int = 0
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.stopped is None

    def tail(self, lines: int = 15) -> list[str]:
        """The last lines of the command's output."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
        return [line for line in text.splitlines() if line.strip()][-lines:]


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and all its descendants, in bytes (vanished ones count 0)."""
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def folder_bytes(folder: Path | None) -> int:
    """Disk space allocated to the files under a folder (0 when it does not exist)."""
    if folder is None:
        return 0
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                info = os.stat(os.path.join(root, name))
            except OSError:
                continue
            blocks = getattr(info, "st_blocks", None)
            total += blocks * 512 if blocks is not None else info.st_size
    return total


def _stop(process: psutil.Process) -> None:
    """Stop a process we started and everything it started: politely, then by force."""
    try:
        members = [*process.children(recursive=True), process]
    except psutil.Error:
        return
    for member in members:
        try:
            member.terminate()
        except psutil.Error:
            continue
    _gone, alive = psutil.wait_procs(members, timeout=10)
    for member in alive:
        try:
            member.kill()
        except psutil.Error:
            continue


def _last_progress(log_path: Path) -> str:
    try:
        with log_path.open("rb") as handle:
            handle.seek(max(0, log_path.stat().st_size - 4096))
            lines = handle.read().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    for line in reversed(lines):
        if " of " in line and ("START" in line or "OK" in line or "PASS" in line or "ERROR" in line):
            return line.strip()[:120]
    return lines[-1].strip()[:120] if lines else ""


def run_measured(
    label: str,
    command: list[str],
    *,
    log_path: Path,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    temp_dir: Path | None = None,
    interval: float = 0.2,
    timeout: float | None = None,
    max_spill_bytes: int | None = None,
    quiet: bool = False,
) -> Measured:
    """Run ``command`` (output to ``log_path``), sampling its tree's RSS and ``temp_dir``'s size."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    peak_rss = peak_spill = samples = 0
    stopped: str | None = None
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with log_path.open("wb") as log:
        started = time.monotonic()
        popen = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        process = psutil.Process(popen.pid)
        last_beat = started
        wall = 0.0
        while True:
            returncode = popen.poll()
            if returncode is not None:
                wall = time.monotonic() - started
            rss = tree_rss(process) if returncode is None else 0
            spill = folder_bytes(temp_dir)
            peak_rss, peak_spill, samples = max(peak_rss, rss), max(peak_spill, spill), samples + 1
            if returncode is not None:
                break
            elapsed = time.monotonic() - started
            if timeout and elapsed > timeout:
                stopped = f"timeout: stopped after {elapsed:.0f} s"
            elif max_spill_bytes and spill > max_spill_bytes:
                stopped = (
                    f"spill: stopped at {spill / 1e9:.1f} GB of temp files "
                    f"(limit {max_spill_bytes / 1e9:.1f} GB)"
                )
            if stopped:
                _stop(process)
                popen.wait()
                wall = time.monotonic() - started
                break
            if not quiet and time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
                last_beat = time.monotonic()
                print(
                    f"    {label}: {elapsed:.0f} s, {rss / 1e9:.2f} GB now, peak {peak_rss / 1e9:.2f} GB, "
                    f"spill {spill / 1e9:.2f} GB | {_last_progress(log_path)}",
                    file=sys.stderr,
                    flush=True,
                )
            # returns as soon as the process ends, so the wall time is not rounded up to a sample
            with contextlib.suppress(subprocess.TimeoutExpired):
                popen.wait(timeout=interval)
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return Measured(
        label=label,
        command=command,
        returncode=popen.returncode if popen.returncode is not None else -1,
        wall_seconds=wall,
        peak_rss_bytes=peak_rss,
        peak_spill_bytes=peak_spill,
        interval_seconds=interval,
        cpu_seconds=cpu,
        log_path=log_path,
        stopped=stopped,
        samples=samples,
    )
