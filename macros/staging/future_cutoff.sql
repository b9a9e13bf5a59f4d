{# purpose: the latest believable timestamp: the day after the build date (UTC), or the future_cutoff_date var when set (for reproducible tests); later timestamps are quarantined as future_timestamp #}
{% macro future_cutoff() -%}
    {%- if var('future_cutoff_date', '') | string | trim != '' -%}
        cast('{{ var("future_cutoff_date") }}' as timestamp)
    {%- else -%}
        cast(current_date + interval 1 day as timestamp)
    {%- endif -%}
{%- endmacro %}
