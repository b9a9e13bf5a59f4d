"""The pieces that let the Spark target's local session run the dbt Python models.

scripts/dbt_livewh.py adds a ``session`` submission method to dbt-spark's adapter (dbt-spark
itself submits Python models to Databricks only); livewh.predict.engines gives the prediction
models DuckDB relations on either engine. test_spark.py builds the models on Spark and compares
them with DuckDB; these tests pin the parts on their own.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import duckdb
import pyarrow as pa
import pytest

import dbt_livewh
from livewh.predict.engines import as_model_output, as_relation


class FakeAdapter:
    """Stands in for dbt-spark's SparkAdapter: the two properties the plugin wraps."""

    def __init__(self, method: str) -> None:
        self.config = SimpleNamespace(credentials=SimpleNamespace(method=SimpleNamespace(value=method)))

    @property
    def python_submission_helpers(self) -> dict[str, Any]:
        return {"all_purpose_cluster": object}

    @property
    def default_python_submission_method(self) -> str:
        return "all_purpose_cluster"


@pytest.fixture
def adapter_class() -> type[FakeAdapter]:
    class Adapter(FakeAdapter):
        pass

    dbt_livewh.install(Adapter)
    return Adapter


def test_the_plugin_adds_the_session_method_and_keeps_the_others(adapter_class: type[FakeAdapter]) -> None:
    helpers = adapter_class("session").python_submission_helpers
    assert helpers["session"] is dbt_livewh.SessionPythonJobHelper
    assert "all_purpose_cluster" in helpers


@pytest.mark.parametrize(("method", "expected"), [("session", "session"), ("thrift", "all_purpose_cluster")])
def test_the_session_method_is_the_default_only_for_a_session_connection(
    adapter_class: type[FakeAdapter], method: str, expected: str
) -> None:
    assert adapter_class(method).default_python_submission_method == expected


def test_installing_twice_wraps_once(adapter_class: type[FakeAdapter]) -> None:
    dbt_livewh.install(adapter_class)
    assert adapter_class("session").python_submission_helpers["session"] is dbt_livewh.SessionPythonJobHelper
    assert adapter_class("http").default_python_submission_method == "all_purpose_cluster"


def test_the_session_helper_runs_compiled_code_with_spark_in_scope(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyspark.sql

    seen: dict[str, Any] = {}
    fake_session = object()
    monkeypatch.setattr(pyspark.sql.SparkSession, "getActiveSession", staticmethod(lambda: fake_session))
    monkeypatch.setattr(dbt_livewh, "_SEEN", seen, raising=False)
    helper = dbt_livewh.SessionPythonJobHelper({"unique_id": "model.livewh.x"}, None)
    helper.submit("import dbt_livewh\ndbt_livewh._SEEN['spark'] = spark")
    assert seen["spark"] is fake_session


def test_as_relation_passes_a_duckdb_relation_through() -> None:
    relation = duckdb.sql("select 1 as a")
    assert as_relation(relation) is relation


def test_as_relation_reads_a_spark_dataframe_through_arrow() -> None:
    frame = SimpleNamespace(toArrow=lambda: pa.table({"a": [1, 2, 3]}))
    assert as_relation(frame).aggregate("sum(a)").fetchall() == [(6,)]


def test_as_relation_refuses_anything_else() -> None:
    with pytest.raises(TypeError, match="DuckDB relation or a pyspark DataFrame"):
        as_relation([1, 2, 3])


def test_as_model_output_gives_duckdb_the_arrow_table_and_spark_a_dataframe() -> None:
    table = pa.table({"a": [1]})
    connection = duckdb.connect()
    assert as_model_output(table, connection) is table
    made: list[pa.Table] = []
    spark = SimpleNamespace(createDataFrame=lambda data: made.append(data) or "spark frame")
    assert as_model_output(table, spark) == "spark frame"
    assert made == [table]
