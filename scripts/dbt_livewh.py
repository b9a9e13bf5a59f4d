"""A dbt plugin (dbt-core loads every importable ``dbt_*`` module's ``plugins``) that lets the
Spark target's local session run dbt Python models.

dbt-spark submits a Python model only to Databricks (its ``job_cluster`` and
``all_purpose_cluster`` helpers call the Databricks API). With ``method: session`` (a local
PySpark, as CI and a developer run the Spark target) this plugin adds a ``session`` submission
method, the default for that connection method: the model's compiled code (the model plus
dbt-spark's code that writes its result with ``saveAsTable``) runs in this process against the
SparkSession dbt-spark already opened. Other connection methods keep dbt-spark's behaviour.
Nothing changes for DuckDB: the plugin only touches dbt-spark's adapter class, when installed.
"""

from __future__ import annotations

from typing import Any

from dbt.plugins.manager import dbtPlugin

SESSION = "session"


class SessionPythonJobHelper:
    """Runs a compiled dbt Python model in the local SparkSession (dbt-spark ``method: session``)."""

    def __init__(self, parsed_model: dict[str, Any], credentials: Any) -> None:
        self.name = str(parsed_model.get("unique_id", parsed_model.get("name", "python model")))

    def submit(self, compiled_code: str) -> None:
        from pyspark.sql import SparkSession

        spark = SparkSession.getActiveSession() or SparkSession.builder.getOrCreate()
        namespace: dict[str, Any] = {"spark": spark, "__name__": "__dbt_python_model__"}
        exec(compile(compiled_code, f"<{self.name}>", "exec"), namespace)  # noqa: S102 - dbt's own compiled model


def _method(adapter: Any) -> str:
    method = getattr(adapter.config.credentials, "method", None)
    return str(getattr(method, "value", method))


def install(adapter_class: type) -> None:
    """Add the session submission method to dbt-spark's adapter (once)."""
    if getattr(adapter_class, "_livewh_session_python", False):
        return
    helpers = adapter_class.python_submission_helpers  # properties of the class
    default = adapter_class.default_python_submission_method

    def python_submission_helpers(self: Any) -> dict[str, Any]:
        return {**helpers.fget(self), SESSION: SessionPythonJobHelper}

    def default_python_submission_method(self: Any) -> str:
        return SESSION if _method(self) == SESSION else default.fget(self)

    adapter_class.python_submission_helpers = property(python_submission_helpers)
    adapter_class.default_python_submission_method = property(default_python_submission_method)
    adapter_class._livewh_session_python = True


class SparkSessionPythonModels(dbtPlugin):
    def initialize(self) -> None:
        try:
            from dbt.adapters.spark.impl import SparkAdapter
        except ImportError:  # dbt-spark not installed: nothing to do
            return
        install(SparkAdapter)


plugins = [SparkSessionPythonModels]
