{# purpose: the reason codes a quarantined row can carry, in the order they are checked (first match wins); kept in the enumerations var #}
{% macro quarantine_reasons() -%}
    {{ return(enum_values('quarantine_reason')) }}
{%- endmacro %}
