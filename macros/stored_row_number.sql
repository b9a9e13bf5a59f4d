{# purpose: a number identifying a stored row within its table for the length of one query (DuckDB's rowid), to join a narrow computation back cheaply, the same however often the table is read; in a unit test, whose inputs are fixtures rather than stored tables, a row number in the order of the row's unique columns, so that it is the same on every read too #}
{% macro stored_row_number(unique_columns) -%}
    {{ return(adapter.dispatch('stored_row_number', 'livewh')(unique_columns)) }}
{%- endmacro %}

{% macro default__stored_row_number(unique_columns) -%}
    {%- if this is none -%}row_number() over (order by {{ unique_columns | join(', ') }}){%- else -%}rowid{%- endif -%}
{%- endmacro %}

{#- Spark has no row id: the unique columns themselves, as one struct value, are the key (no
    global sort for a row number) -#}
{% macro spark__stored_row_number(unique_columns) -%}
    {{ struct_of(zip(unique_columns, unique_columns) | list) }}
{%- endmacro %}
