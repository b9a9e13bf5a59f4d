{# purpose: a number identifying a stored row within its table for the length of one query (DuckDB's rowid), to join a narrow computation back cheaply #}
{% macro stored_row_number() -%}
    {{ return(adapter.dispatch('stored_row_number', 'livewh')()) }}
{%- endmacro %}

{% macro default__stored_row_number() -%}
    rowid
{%- endmacro %}
