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

{# purpose: a struct value with named fields, from a list of (name, expression) pairs in order (DuckDB struct_pack, Spark named_struct); structs compare field by field in that order #}
{% macro struct_of(fields) -%}
    {{ return(adapter.dispatch('struct_of', 'livewh')(fields)) }}
{%- endmacro %}

{% macro default__struct_of(fields) -%}
    struct_pack({% for name, expression in fields %}{{ name }} := {{ expression }}{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}

{% macro spark__struct_of(fields) -%}
    named_struct({% for name, expression in fields %}'{{ name }}', {{ expression }}{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}
