{# purpose: a number identifying a stored row within its table for the length of one query (DuckDB's rowid), to join a narrow computation back cheaply; in a unit test, whose inputs are fixtures rather than stored tables, a row number #}
{% macro stored_row_number() -%}
    {{ return(adapter.dispatch('stored_row_number', 'livewh')()) }}
{%- endmacro %}

{% macro default__stored_row_number() -%}
    {%- if this is none -%}row_number() over (){%- else -%}rowid{%- endif -%}
{%- endmacro %}
