"""A file every BI tool can open: a DuckDB 1.4 client reads the published demo warehouse.

DuckDB 1.4 (the long-term release most BI drivers and DuckDB CLIs still use) cannot open the
default storage format of the pinned DuckDB 2.0. The test installs ``duckdb==1.4.*`` from PyPI
into its own small virtual environment (``.venv-duckdb14/`` in the project, kept between runs)
and reads every ``main`` relation of the published file with it, read-only; then it checks that
such a reader and a publish do not block each other.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from livewh import PROJECT_ROOT
from livewh.publish import publish
from livewh.warehouse import STORAGE_COMPATIBILITY_VERSION

DUCKDB14_VENV = PROJECT_ROOT / ".venv-duckdb14"
DUCKDB14_REQUIREMENT = "duckdb==1.4.*"

#: Run by the DuckDB 1.4 interpreter: read every main relation, print versions and row counts.
READ_EVERYTHING = """
import json, sys
import duckdb
# no progress bar: on a busy machine a query over 2 s would draw one on stdout
connection = duckdb.connect(sys.argv[1], read_only=True)
connection.execute("set enable_progress_bar = false")
names = [name for (name,) in connection.execute(
    "select table_name from information_schema.tables "
    "where table_catalog = current_database() and table_schema = 'main' order by table_name"
).fetchall()]
rows = {name: len(connection.execute(f'select * from main."{name}"').fetchall()) for name in names}
print(json.dumps({"duckdb": duckdb.__version__, "rows": rows}))
"""

#: Run by the DuckDB 1.4 interpreter: open the file, say which build it sees, wait for a line on
#: stdin (the connection stays open meanwhile), then say again which build it sees.
HOLD_OPEN = """
import sys
import duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
connection.execute("set enable_progress_bar = false")
query = "select run_id, (select count(*) from main.fct_orders) from main.warehouse_build_info"
print(*connection.execute(query).fetchone(), flush=True)
sys.stdin.readline()
print(*connection.execute(query).fetchone(), flush=True)
"""


def _python_with_duckdb14() -> Path:
    """The interpreter of the cached DuckDB 1.4 environment, created from PyPI when missing."""
    python = DUCKDB14_VENV / "bin" / "python"
    probe = [str(python), "-c", "import duckdb, sys; sys.exit(not duckdb.__version__.startswith('1.4.'))"]
    if python.exists() and subprocess.run(probe, check=False).returncode == 0:
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(DUCKDB14_VENV)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", DUCKDB14_REQUIREMENT],
        check=True,
        timeout=600,
    )
    subprocess.run(probe, check=True)
    return python


@pytest.fixture(scope="module")
def duckdb14() -> Path:
    return _python_with_duckdb14()


def test_a_duckdb_14_client_reads_every_main_relation(duckdb14: Path, published_demo: Path) -> None:
    result = subprocess.run(
        [str(duckdb14), "-c", READ_EVERYTHING, str(published_demo)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout)
    assert seen["duckdb"].startswith("1.4.")
    with duckdb.connect(str(published_demo), read_only=True) as connection:
        expected = {
            name: count
            for name, count in (
                (name, connection.execute(f'select count(*) from main."{name}"').fetchone()[0])
                for (name,) in connection.execute(
                    "select table_name from information_schema.tables "
                    "where table_catalog = current_database() and table_schema = 'main'"
                ).fetchall()
            )
        }
    assert len(expected) >= 31  # every mart and the build stamp
    assert seen["rows"] == expected


def test_without_the_compatibility_setting_duckdb_14_refuses_the_file(duckdb14: Path, tmp_path: Path) -> None:
    # the setting is what makes the difference, not the reader
    default = tmp_path / "default.duckdb"
    with duckdb.connect(str(default)) as connection:
        connection.execute("create table t as select 1 as x")
    refused = subprocess.run(
        [str(duckdb14), "-c", READ_EVERYTHING, str(default)], capture_output=True, text=True, check=False
    )
    assert refused.returncode != 0 and "version" in refused.stderr.lower()
    assert STORAGE_COMPATIBILITY_VERSION.startswith("v1.4")


def test_a_duckdb_14_reader_and_a_publish_do_not_block_each_other(
    duckdb14: Path, published_demo: Path, tmp_path: Path
) -> None:
    published = tmp_path / "site" / published_demo.name
    published.parent.mkdir()
    shutil.copy2(published_demo, published)
    candidate = tmp_path / "site" / "build" / "next" / published.name
    candidate.parent.mkdir(parents=True)
    shutil.copy2(published_demo, candidate)
    with duckdb.connect(str(candidate)) as connection:
        (old_run,) = connection.execute("select run_id from main.warehouse_build_info").fetchone()
        connection.execute("update main.warehouse_build_info set run_id = 'the-next-build'")
        # fct_orders is a view over intermediate.int_orders_enriched: the next build has one order fewer
        connection.execute(
            "delete from intermediate.int_orders_enriched"
            " where order_id = (select min(order_id) from main.fct_orders)"
        )
        connection.execute("checkpoint")

    reader = subprocess.Popen(
        [str(duckdb14), "-c", HOLD_OPEN, str(published)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdin is not None
        first_line = reader.stdout.readline().split()
        assert first_line[0] == old_run
        publish(candidate, published)  # the 1.4 reader holds the file open: publishing still works
        reader.stdin.write("go\n")
        reader.stdin.flush()
        second_line = reader.stdout.readline().split()
        assert second_line == first_line  # the open reader keeps the build it opened, unharmed
        assert reader.wait(timeout=60) == 0, reader.stderr.read() if reader.stderr else ""
    finally:
        if reader.poll() is None:
            reader.kill()
    fresh = subprocess.run(
        [str(duckdb14), "-c", HOLD_OPEN, str(published)],
        input="go\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert fresh.stdout.split()[0] == "the-next-build"
    assert int(fresh.stdout.split()[1]) == int(first_line[1]) - 1
