{# purpose: the materialization of the warehouse's incremental models: incremental on DuckDB; a table rebuilt each run on Spark, whose plain Parquet tables (no Delta or Iceberg) cannot delete the rows an incremental run replaces (late rows, merges, erasure) #}
{% macro incremental_materialization() -%}
    {{ return(adapter.dispatch('incremental_materialization', 'livewh')()) }}
{%- endmacro %}

{% macro default__incremental_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro spark__incremental_materialization() -%}
    {{ return('table') }}
{%- endmacro %}
