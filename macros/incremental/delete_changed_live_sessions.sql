{# purpose: pre-hook of a session-keyed incremental live model: remove the rows of every changed broadcast first (delete+insert alone would keep the rows of a broadcast that now produces none) #}
{% macro delete_changed_live_sessions() %}
    {%- if execute and is_incremental() -%}
        {%- set plan = incremental_plan() -%}
        {%- if not plan.full -%}
            delete from {{ this }} where session_id in ({{ changed_live_sessions(plan.since) }})
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
