{# purpose: email as matched and hashed everywhere: trimmed and lower-cased; null when empty #}
{% macro normalise_email(column) -%}
    lower({{ clean_text(column) }})
{%- endmacro %}
