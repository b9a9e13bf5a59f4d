{# purpose: the CTE keyword that lets the engine inline a CTE read several times instead of storing it (DuckDB materialises such CTEs, which costs more than re-reading a raw view) #}
{% macro not_materialized() -%}
    {{ return(adapter.dispatch('not_materialized', 'livewh')()) }}
{%- endmacro %}

{% macro default__not_materialized() -%}
    as
{%- endmacro %}

{% macro duckdb__not_materialized() -%}
    as not materialized
{%- endmacro %}
