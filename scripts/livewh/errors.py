"""Errors a user can act on.

Every mistake a user can make (a wrong folder, an unknown table or segment name, a missing
file) and every failed build is raised as a :class:`LivewhError`. The command-line entry point
prints its message and exits with its ``exit_code``, never with a Python traceback.
"""

from __future__ import annotations

#: Exit code for a user mistake or unusable input (argparse uses 2 for usage errors too).
EXIT_USAGE = 2
#: Exit code for a build, test or quality check that ran and failed.
EXIT_FAILED = 1


class LivewhError(Exception):
    """A problem the user can fix; its message says what and where."""

    exit_code: int = EXIT_USAGE

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    @property
    def message(self) -> str:
        """The text shown to the user."""
        return str(self.args[0]) if self.args else ""


class RawDataError(LivewhError):
    """The raw data folder or one of its files breaks the raw contract at file level."""


class BuildFailed(LivewhError):
    """A build step ran and failed (dbt, tests or quality checks); the published file is untouched."""

    exit_code = EXIT_FAILED


class QualityFailed(LivewhError):
    """At least one error-level data-quality check failed."""

    exit_code = EXIT_FAILED
