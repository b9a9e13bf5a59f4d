{# purpose: true for a row dated after the observation end when the as_of_date var is set (such rows count nowhere, as if the raw data were cut at that date); always false without the var, when the observation end is the latest data #}
{% macro after_observation_end(timestamp_expression) -%}
    {%- set as_of = var('as_of_date', '') | string | trim -%}
    {%- if as_of == '' -%}
        false
    {%- else -%}
        coalesce(({{ timestamp_expression }}) >= cast(cast('{{ as_of }}' as date) + 1 as timestamp), false)
    {%- endif -%}
{%- endmacro %}
