{# purpose: the values of one enumeration from the enumerations var in dbt_project.yml (the one place every enumeration is kept), followed by any extra values a column adds (e.g. 'unknown' for a missing value); stops on an unknown name #}
{% macro enum_values(name, extra=[]) %}
    {%- set enumerations = var('enumerations') -%}
    {%- if name not in enumerations -%}
        {{ exceptions.raise_compiler_error("Unknown enumeration '" ~ name ~ "'; known: " ~ enumerations.keys() | join(', ')) }}
    {%- endif -%}
    {{ return(enumerations[name] + extra) }}
{% endmacro %}
