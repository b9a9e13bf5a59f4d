"""Progress lines for long steps, with elapsed seconds, on stderr (stdout stays for results)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

PREFIX = "[livewh]"


def say(message: str) -> None:
    """Print one progress line."""
    print(f"{PREFIX} {message}", file=sys.stderr, flush=True)


def warn(message: str) -> None:
    """Print a warning line."""
    print(f"{PREFIX} warning: {message}", file=sys.stderr, flush=True)


@dataclass
class Step:
    """A running step; set ``result`` to say how it ended ("12 tables", "3 warnings")."""

    label: str
    started: float = field(default_factory=time.monotonic)
    result: str = "done"

    @property
    def elapsed(self) -> float:
        """Seconds since the step started."""
        return time.monotonic() - self.started

    def note(self, message: str) -> None:
        """A progress line inside the step, with the elapsed time so far."""
        say(f"  {self.label}: {message} ({self.elapsed:.1f}s)")


@contextmanager
def step(label: str) -> Iterator[Step]:
    """Announce a step, then report how it ended and how long it took."""
    current = Step(label)
    say(f"{label} ...")
    try:
        yield current
    except BaseException:
        say(f"{label}: FAILED after {current.elapsed:.1f}s")
        raise
    say(f"{label}: {current.result} ({current.elapsed:.1f}s)")
