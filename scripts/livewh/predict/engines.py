"""The prediction models' inputs and outputs on either engine.

The modelling (livewh.predict.step) reads its inputs as DuckDB relations and returns Arrow
tables. dbt-duckdb hands a Python model DuckDB relations and stores what it returns. On the
Spark target (dbt-spark; a local session runs Python models through the ``dbt_livewh`` plugin)
``dbt.ref()`` gives a pyspark DataFrame: it is brought to the driver through Arrow and read by
an in-process DuckDB, so the same summary SQL and the same fits run on both engines, and the
result is handed back as a Spark DataFrame with the Arrow table's types.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa


def as_relation(data: Any) -> duckdb.DuckDBPyRelation:
    """A model input as a DuckDB relation (a pyspark DataFrame is collected through Arrow)."""
    if isinstance(data, duckdb.DuckDBPyRelation):
        return data
    to_arrow = getattr(data, "toArrow", None)
    if to_arrow is None:
        raise TypeError(f"a model input must be a DuckDB relation or a pyspark DataFrame, got {type(data)}")
    return duckdb.from_arrow(to_arrow())


def as_model_output(table: pa.Table, session: Any) -> Any:
    """What the model returns: a Spark DataFrame in a Spark session, else (dbt-duckdb) the Arrow table."""
    create = getattr(session, "createDataFrame", None)
    return table if create is None else create(table)
