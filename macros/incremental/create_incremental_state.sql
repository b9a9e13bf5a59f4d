{# purpose: on-run-start: create the incremental bookkeeping table when missing #}
{% macro create_incremental_state() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set state = incremental_state_relation() -%}
    {%- do run_query('create schema if not exists ' ~ state.include(identifier=false)) -%}
    {%- do run_query('create table if not exists ' ~ state ~ ' (model_name ' ~ text_type()
        ~ ', processed_at timestamp, signature ' ~ text_type() ~ ')' ~ table_storage_clause()) -%}
    {{ return('') }}
{% endmacro %}
