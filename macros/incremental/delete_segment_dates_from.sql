{# purpose: pre-hook of a date-keyed segment model: delete the dates it is about to recompute (every date on a full recompute), including a date that is no longer an evaluation date (an earlier observation end) #}
{% macro delete_segment_dates_from(upstream, upstream_date_column) %}
    {%- if execute and is_incremental() -%}
        {%- set plan = incremental_plan() -%}
        {%- if not plan.full -%}
            {%- set start = segment_history_start(plan, upstream, upstream_date_column) -%}
            {%- if start is none -%}
                delete from {{ this }}
            {%- else -%}
                delete from {{ this }} where segment_date >= {{ start }}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
