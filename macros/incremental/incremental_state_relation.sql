{# purpose: the bookkeeping table of incremental models (one row per model: the run it last completed and the settings it was built with) #}
{% macro incremental_state_relation() -%}
    {{ return(api.Relation.create(database=target.get('database'), schema='intermediate', identifier='livewh_incremental_state')) }}
{%- endmacro %}
