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

{# purpose: the CTE keyword that makes the engine compute a CTE once, on its own, before the query that reads it (DuckDB: a holistic aggregate such as quantile_cont ran 25x slower inside a large plan than alone) #}
{% macro materialized_cte() -%}
    {{ return(adapter.dispatch('materialized_cte', 'livewh')()) }}
{%- endmacro %}

{% macro default__materialized_cte() -%}
    as
{%- endmacro %}

{% macro duckdb__materialized_cte() -%}
    as materialized
{%- endmacro %}
