{# purpose: on-run-start: create the incremental bookkeeping table when missing #}
{% macro create_incremental_state() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- do run_query('create schema if not exists ' ~ adapter.quote(target.database) ~ '.intermediate') -%}
    {%- do run_query('create table if not exists ' ~ incremental_state_relation()
        ~ ' (model_name varchar, processed_at timestamp, signature varchar)') -%}
    {{ return('') }}
{% endmacro %}
