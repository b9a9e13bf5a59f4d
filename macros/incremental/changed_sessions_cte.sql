{# purpose: in an incremental run of a session-keyed live model, the CTE changed_sessions (changed_live_sessions, computed once); nothing in a full build #}
{% macro changed_sessions_cte(plan) -%}
    {%- if not plan.full %}

changed_sessions as (
    {{ changed_live_sessions(plan.since) }}
),
    {%- endif %}
{%- endmacro %}
