{# purpose: trim a raw text value and turn an empty string into null #}
{% macro clean_text(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}
