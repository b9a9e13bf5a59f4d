{# purpose: a list of values as a SQL list of string literals ('a', 'b'), for in (...) #}
{% macro quoted_list(values) -%}
    {%- for value in values -%}'{{ value | replace("'", "''") }}'{{ ', ' if not loop.last }}{%- endfor -%}
{%- endmacro %}
