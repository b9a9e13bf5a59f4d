{# purpose: one field of a struct value (DuckDB's struct_extract; a dotted reference elsewhere) #}
{% macro struct_field(expression, field) -%}
    {{ return(adapter.dispatch('struct_field', 'livewh')(expression, field)) }}
{%- endmacro %}

{% macro default__struct_field(expression, field) -%}
    ({{ expression }}).{{ field }}
{%- endmacro %}

{% macro duckdb__struct_field(expression, field) -%}
    struct_extract({{ expression }}, '{{ field }}')
{%- endmacro %}
