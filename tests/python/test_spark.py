"""The project builds on Spark, passes its dbt tests there, and equals the DuckDB build.

Two shops are built with plain dbt, each on DuckDB (the default target) and on the ``spark``
target (dbt-spark ``method: session``: a local PySpark with its own metastore under the test's
folder):

- the demo (CSV): the whole ``spark_ported`` selection (selectors.yml: every model and seed; the
  Python models run in the session through scripts/dbt_livewh.py; not the snapshot, nor the one
  singular test that reads CSV files with DuckDB), with every data and unit test on Spark;
- a small Parquet shop with deliberately bad rows in every table: the raw layer, staging,
  validation and the quality marts with their tests, so every quarantine reason is compared too.

The Spark relations are written to Parquet (``export_parquet``) and read by DuckDB. Every model
must have the same columns and rows (see _differences: floating-point values within 1e-9
relative, everything else exactly), bookkeeping columns (RUN_SPECIFIC) aside. The DuckDB side is
built without tests (the rest of the suite runs them there).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import duckdb
import pytest

from conftest import ensure_java, run_project_dbt, write_csv
from livewh.generate import GenerateConfig, generate

SELECTOR = "spark_ported"
#: Bookkeeping columns that differ between any two builds (the run's start) or between engines by
#: design (row_hash: DuckDB hash, Spark xxhash64); every other column is compared.
RUN_SPECIFIC = {"_changed_at", "_row_hash"}
#: JSON text columns, compared as JSON values (see _comparable).
JSON_COLUMNS = {"raw_record"}
#: Floating-point columns are equal within this relative difference (the issue's 1e-9); every
#: other column (counts, decimals, text, dates) exactly.
FLOAT_TOLERANCE = 1e-9
FLOAT_TYPES = {"DOUBLE", "FLOAT", "REAL"}


def _dbt(*args: str, work: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_project_dbt(args, work, env)


#: What each shop builds: the demo everything ported, the bad-rows shop the part its defects reach
#: (raw layer, staging, validation, quarantine, reconciliation and FX-gap marts).
SELECTIONS = {
    "demo": ["--selector", SELECTOR],
    "bad-rows-parquet": [
        "--select",
        "+fct_quarantined_rows",
        "+rpt_raw_reconciliation",
        "+rpt_unresolved_references",
        "+rpt_fx_rate_gaps",
        "--indirect-selection",
        "cautious",
    ],
}


def _open_fx_gap(raw: Path) -> None:
    """Drop the shop's rates of its most used non-USD order currency from 10 days before that
    currency's first order to 60 days after it, so those orders have no rate (quarantined as
    no_fx_rate) and rpt_fx_rate_gaps writes its messages on both engines."""
    fx = raw / "fx_rates.parquet"
    kept = raw / "fx_rates.kept.parquet"
    orders = raw / "orders.parquet"
    with duckdb.connect() as connection:
        currency, first_day = connection.execute(
            f"select currency, min(cast(ordered_at as date)) from '{orders}' "
            "where currency != 'USD' and ordered_at is not null "
            "group by currency order by count(*) desc, currency limit 1"
        ).fetchone()
        connection.execute(
            f"copy (select * from '{fx}' where not (currency = '{currency}' and rate_date "
            f"between date '{first_day}' - 10 and date '{first_day}' + 60)) to '{kept}' (format parquet)"
        )
    kept.replace(fx)


@pytest.fixture(scope="module", params=list(SELECTIONS))
def builds(
    request: pytest.FixtureRequest, demo_raw: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path, list[str]]:
    ensure_java()
    selection = SELECTIONS[request.param]
    work = tmp_path_factory.mktemp(f"spark-{request.param}")
    if request.param == "demo":
        raw = demo_raw
    else:
        raw = work / "raw"
        generate(
            GenerateConfig(
                out=raw, customers=400, days=120, format="parquet", bad_row_rate=0.05, hosts=5, progress=False
            )
        )
        assert (raw / "orders.parquet").exists()
        _open_fx_gap(raw)
    duck_db = work / "duckdb" / "warehouse.duckdb"
    base = {"LIVEWH_RAW_DIR": str(raw), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    # the same selection on DuckDB, its models and seeds only
    _dbt(
        "build",
        *selection,
        "--resource-type",
        "model",
        "--resource-type",
        "seed",
        work=work / "duckdb",
        env={**base, "LIVEWH_DB_PATH": str(duck_db)},
    )
    spark_env = {**base, "LIVEWH_SPARK_WAREHOUSE": str(work / "spark" / "warehouse")}
    # the selection on Spark with its data and unit tests
    _dbt("build", "--target", "spark", *selection, work=work / "spark", env=spark_env)
    listed = _dbt(
        "ls",
        *selection,
        "--resource-type",
        "model",
        "--output",
        "json",
        "--output-keys",
        "name",
        "config",
        "--quiet",
        work=work / "spark",
        env=spark_env,
    )
    nodes = [json.loads(line) for line in listed.stdout.splitlines() if line.startswith("{")]
    # an ephemeral model is no relation: it is compared through the models that inline it
    models = sorted(node["name"] for node in nodes if node["config"]["materialized"] != "ephemeral")
    exported = work / "exported"
    _dbt(
        "run-operation",
        "export_parquet",
        "--target",
        "spark",
        "--args",
        json.dumps({"relations": models, "folder": str(exported)}),
        work=work / "spark",
        env=spark_env,
    )
    return duck_db, exported, models


def _comparable(name: str, dtype: str) -> str:
    """A column as compared: cast to the DuckDB type; a JSON record as its JSON value (DuckDB
    re-serialises it), since the engines write the same number differently (4.05518E-5 and
    0.0000405518); text inside the record is compared exactly."""
    if name in JSON_COLUMNS:
        return f'cast(json("{name}") as varchar) as "{name}"'
    return f'cast("{name}" as {dtype}) as "{name}"'


def test_the_selection_covers_what_it_should(builds: tuple[Path, Path, list[str]]) -> None:
    duck_db, _, models = builds
    expected = {"stg_shop__orders", "int_orders_validated", "fct_quarantined_rows", "rpt_raw_reconciliation"}
    if "bad-rows" not in str(duck_db):
        # the demo: every layer, the Python prediction models and the semantic layer's time spine
        expected |= {
            "int_accounts_stitched",
            "dim_customers",
            "fct_orders",
            "fct_live_session_performance",
            "fct_cohort_repurchase",
            "dim_customer_segments",
            "rpt_campaign_outcomes",
            "rpt_period_kpis",
            "fct_customer_predictions",
            "rpt_prediction_parameters",
            "dim_dates",
        }
    assert expected <= set(models), sorted(expected - set(models))
    with duckdb.connect(str(duck_db), read_only=True) as connection:
        (orders,) = connection.execute("select count(*) from staging.stg_shop__orders").fetchone()
    assert orders > 0


def test_bad_rows_reach_every_staging_defect(builds: tuple[Path, Path, list[str]]) -> None:
    """The Parquet shop's bad rows give staging defects (so the comparison covers raw_record), and
    its FX gap gives rpt_fx_rate_gaps rows."""
    duck_db, _, _ = builds
    with duckdb.connect(str(duck_db), read_only=True) as connection:
        (defects,) = connection.execute(
            "select count(distinct row_defect) from staging.stg_shop__orders where row_defect is not null"
        ).fetchone()
    if "bad-rows" in str(duck_db):
        assert defects >= 3
        with duckdb.connect(str(duck_db), read_only=True) as connection:
            (gaps,) = connection.execute("select count(*) from main.rpt_fx_rate_gaps").fetchone()
        assert gaps > 0  # the FX gap opened by _open_fx_gap, so its messages are compared too
    else:
        assert defects == 0  # the demo has no deliberately bad rows


def _differences(connection: duckdb.DuckDBPyConnection, model: str, files: Path) -> str | None:
    """How the Spark export of a model differs from the DuckDB table, or None when it does not.

    Every column but the floating-point ones must be equal (EXCEPT ALL both ways, so the rows
    and their numbers too); each row's floating-point values must then be within FLOAT_TOLERANCE
    (relative) of those of a row of the other engine with the same other values: the engines
    add doubles in different orders, so sums and the rates built on them can differ in their
    last bits.
    """
    columns = [
        (name, dtype)
        for name, dtype in connection.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_name = ? order by ordinal_position",
            [model],
        ).fetchall()
        if name not in RUN_SPECIFIC
    ]
    (schema,) = connection.execute(
        "select table_schema from information_schema.tables where table_name = ?", [model]
    ).fetchone()
    spark_columns = [
        row[0]
        for row in connection.execute(f"describe select * from read_parquet('{files}/*.parquet')").fetchall()
        if row[0] not in RUN_SPECIFIC
    ]
    if spark_columns != [name for name, _ in columns]:
        return f"columns differ: spark {spark_columns}, duckdb {[n for n, _ in columns]}"
    floats = [name for name, dtype in columns if dtype in FLOAT_TYPES]
    exact = [name for name, dtype in columns if dtype not in FLOAT_TYPES]
    cast = ", ".join(_comparable(name, dtype) for name, dtype in columns)
    spark = f"(select {cast} from read_parquet('{files}/*.parquet'))"
    duck = f'(select {cast} from "{schema}"."{model}")'
    (rows,) = connection.execute(f"select count(*) from {duck}").fetchone()
    (spark_rows,) = connection.execute(f"select count(*) from {spark}").fetchone()
    if rows != spark_rows:
        return f"{spark_rows} rows on Spark, {rows} on DuckDB"
    key = ", ".join(f'"{name}"' for name in exact) or "1 as no_column"
    only_spark_sql = f"select {key} from {spark} except all select {key} from {duck}"
    only_duck_sql = f"select {key} from {duck} except all select {key} from {spark}"
    (only_spark,) = connection.execute(f"select count(*) from ({only_spark_sql})").fetchone()
    (only_duck,) = connection.execute(f"select count(*) from ({only_duck_sql})").fetchone()
    if only_spark or only_duck:
        sample = connection.execute(f"({only_spark_sql}) limit 3").fetchall()
        return f"{only_spark} rows only on Spark, {only_duck} only on DuckDB (of {rows}); e.g. {sample}"
    if not floats:
        return None
    same_exact = " and ".join(f'a."{name}" is not distinct from b."{name}"' for name in exact) or "true"
    close = " and ".join(
        f'(a."{name}" is not distinct from b."{name}" or abs(a."{name}" - b."{name}") '
        f'<= {FLOAT_TOLERANCE} * greatest(abs(a."{name}"), abs(b."{name}")))'
        for name in floats
    )
    for left, right, side in ((spark, duck, "Spark"), (duck, spark, "DuckDB")):
        unmatched = (
            f"select * from {left} as a "
            f"where not exists (select 1 from {right} as b where {same_exact} and {close})"
        )
        (count,) = connection.execute(f"select count(*) from ({unmatched})").fetchone()
        if count:
            sample = connection.execute(f"{unmatched} limit 2").fetchall()
            return f"{count} {side} rows lack a counterpart within {FLOAT_TOLERANCE} (of {rows}): {sample}"
    return None


def test_every_ported_model_equals_the_duckdb_build(builds: tuple[Path, Path, list[str]]) -> None:
    duck_db, exported, models = builds
    differences: dict[str, str] = {}
    with duckdb.connect(str(duck_db), read_only=True) as connection:
        connection.execute("set TimeZone = 'UTC'")
        for model in models:
            difference = _differences(connection, model, exported / model)
            if difference:
                differences[model] = difference
    assert not differences, json.dumps(differences, indent=1, default=str)


def _raw_contract_error(raw_dir: Path, work: Path, target: str) -> str:
    """The message a plain dbt run on the target stops with for this raw folder."""
    env = {
        "LIVEWH_RAW_DIR": str(raw_dir),
        "LIVEWH_DB_PATH": str(work / "warehouse.duckdb"),
        "LIVEWH_SPARK_WAREHOUSE": str(work / "spark" / "warehouse"),
    }
    args = ["run", "--target", target, "--select", "stg_shop_meta__raw_files"]
    result = run_project_dbt(args, work, env, check=False)
    assert result.returncode != 0, f"the {target} run should stop on the broken raw folder"
    lines = [line for line in result.stdout.splitlines() if "Raw table '" in line]
    assert lines, result.stdout[-3000:]
    return lines[0][lines[0].index("Raw table '") :]


@pytest.mark.parametrize("defect", ["missing required file", "missing required column"])
def test_spark_stops_on_a_broken_raw_folder_with_the_duckdb_message(
    defect: str, minimal_raw: Path, tmp_path: Path
) -> None:
    ensure_java()
    if defect == "missing required file":
        (minimal_raw / "orders.csv").unlink()
    else:
        write_csv(minimal_raw / "customers.csv", ["customer_id", "country_code"], [["c1", "DE"]])
    duckdb_message = _raw_contract_error(minimal_raw, tmp_path / "duckdb", "dev")
    spark_message = _raw_contract_error(minimal_raw, tmp_path / "spark", "spark")
    expected = (
        "is required but neither" if defect == "missing required file" else "required column(s) missing"
    )
    assert expected in duckdb_message
    # the same sentence, the file path included (both engines name it <raw folder>/<file>)
    assert spark_message == duckdb_message
