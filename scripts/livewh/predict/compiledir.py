"""Where PyTensor keeps the C code it compiles for the models (compiled once, reused by every build).

The first fit on a machine compiles the BG/NBD and Gamma-Gamma likelihoods to C (about half a
minute to a minute and a half, depending on the load); later fits load the compiled modules from
the cache in about a second. The cache folder is, in order:

1. ``base_compiledir`` in ``PYTENSOR_FLAGS`` when the caller already set it (left untouched);
2. ``$LIVEWH_PYTENSOR_COMPILEDIR``;
3. ``$XDG_CACHE_HOME/livewh/pytensor``, else ``~/.cache/livewh/pytensor``.

It is outside the project on purpose: every checkout and worktree of a machine (and dbt's Python
model process, which inherits the environment) shares one cache, and ``make clean`` does not throw
it away. CI keeps it between runs by caching that folder. PyTensor locks the folder itself, so
concurrent builds are safe.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "LIVEWH_PYTENSOR_COMPILEDIR"


def default_compiledir() -> Path:
    """The cache folder used when neither PYTENSOR_FLAGS nor LIVEWH_PYTENSOR_COMPILEDIR name one."""
    explicit = os.environ.get(ENV_VAR, "").strip()
    if explicit:
        return Path(explicit).expanduser()
    cache_home = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(cache_home).expanduser() if cache_home else Path.home() / ".cache"
    return root / "livewh" / "pytensor"


def configure_pytensor() -> Path | None:
    """Point PyTensor at the shared compile cache; call before pytensor / pymc is first imported.

    Returns the folder set, or None when PYTENSOR_FLAGS already names a ``base_compiledir``.
    Has no effect once pytensor is imported (its configuration is read at import).
    """
    flags = os.environ.get("PYTENSOR_FLAGS", "")
    if "base_compiledir" in flags:
        return None
    folder = default_compiledir()
    folder.mkdir(parents=True, exist_ok=True)
    setting = f"base_compiledir={folder}"
    os.environ["PYTENSOR_FLAGS"] = f"{flags},{setting}" if flags.strip() else setting
    return folder
