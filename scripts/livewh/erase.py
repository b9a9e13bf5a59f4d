"""``livewh erase``: reserved for the right-to-erasure workflow (issue 7, owned by the lead).

Erasure itself happens in the dbt models (accounts listed in the raw ``deletion_requests`` are
removed at the first layer); this sub-command is the place for its operator tooling (for
example: proving that no trace of an erased account is left in the published file).
"""

from __future__ import annotations

import argparse

from livewh.errors import LivewhError


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``erase`` sub-command."""
    parser = subparsers.add_parser(
        "erase",
        help="right-to-erasure tooling (not implemented yet)",
        description="Reserved for the right-to-erasure tooling. Erasure itself is applied by every build "
        "from the raw deletion_requests table.",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Not implemented yet."""
    raise LivewhError(
        "`livewh erase` is not implemented yet. Erasure is applied by every build: add the account to "
        "deletion_requests in the raw folder and run `livewh build`."
    )
