{# purpose: true when a raw value is present but its parsed form is null (it did not parse) #}
{% macro unparseable(raw_column, parsed_expression) -%}
    ({{ clean_text(raw_column) }} is not null and ({{ parsed_expression }}) is null)
{%- endmacro %}
