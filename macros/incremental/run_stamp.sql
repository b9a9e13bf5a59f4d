{# purpose: this dbt invocation's start time as a SQL timestamp literal: the _changed_at of every row a run writes or changes, and the point an incremental model has processed up to #}
{% macro run_stamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}
