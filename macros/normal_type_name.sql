{# purpose: a column type's name in one form for both engines: upper case, no spaces, VARCHAR/TEXT as STRING, INTEGER as INT #}
{% macro normal_type_name(type_name) -%}
    {%- set name = (type_name | upper | replace(' ', '')) -%}
    {{ return({'VARCHAR': 'STRING', 'TEXT': 'STRING', 'INTEGER': 'INT'}.get(name, name)) }}
{%- endmacro %}
