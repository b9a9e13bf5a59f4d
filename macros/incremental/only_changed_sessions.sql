{# purpose: in an incremental run, the filter keeping the rows of changed broadcasts (semi-join on changed_sessions); nothing in a full build #}
{% macro only_changed_sessions(plan, column='session_id') -%}
    {%- if not plan.full %}
        and {{ column }} in (select changed_sessions.session_id from changed_sessions)
    {%- endif %}
{%- endmacro %}
