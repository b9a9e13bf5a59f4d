"""``livewh dashboard``: the Streamlit app over a published warehouse, started headless.

The app (``app.py``) reads the marts through :mod:`livewh.views`: short-lived read-only
connections, so it never blocks a build and shows a new build on the next refresh. This module
only starts Streamlit with options that need no prompt and no network: headless (no browser
opened, no e-mail prompt), no usage statistics, no file watcher, a fixed address and port.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from livewh.errors import LivewhError
from livewh.paths import display

APP = Path(__file__).with_name("app.py")
DEFAULT_PORT = 8501
DEFAULT_ADDRESS = "127.0.0.1"


def streamlit_command(db_path: Path, port: int = DEFAULT_PORT, address: str = DEFAULT_ADDRESS) -> list[str]:
    """The command line that serves the dashboard for ``db_path``."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.headless=true",
        "--server.showEmailPrompt=false",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
        "--server.runOnSave=false",
        f"--server.port={port}",
        f"--server.address={address}",
        "--global.developmentMode=false",
        "--client.toolbarMode=minimal",
        "--client.showErrorDetails=full",
        "--theme.base=light",
        "--",
        "--db",
        str(db_path),
    ]


def serve(db_path: Path, port: int = DEFAULT_PORT, address: str = DEFAULT_ADDRESS) -> int:
    """Run the dashboard in the foreground until interrupted; return Streamlit's exit code."""
    if not db_path.is_file():
        raise LivewhError(
            f"no warehouse file at '{display(db_path)}'. Build one with `livewh build` (or `make demo`) "
            "or pass --db PATH."
        )
    print(f"livewh dashboard: http://{address}:{port}/ over {display(db_path)} (read-only; Ctrl-C stops it)")
    environment = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    try:
        return subprocess.run(
            streamlit_command(db_path, port, address), env=environment, check=False
        ).returncode
    except KeyboardInterrupt:
        return 0
