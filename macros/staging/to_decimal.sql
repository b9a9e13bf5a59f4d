{# purpose: parse a raw money/number text into decimal(18, 4); null when it does not parse #}
{% macro to_decimal(column) -%}
    try_cast(try_cast({{ clean_text(column) }} as double) as decimal(18, 4))
{%- endmacro %}
