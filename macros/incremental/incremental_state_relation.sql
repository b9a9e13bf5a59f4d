{# purpose: the bookkeeping table of incremental models (one row per model: the run it last completed and the settings it was built with) #}
{% macro incremental_state_relation() -%}
    {{ adapter.quote(target.database) }}.intermediate.livewh_incremental_state
{%- endmacro %}
