{# purpose: true when a raw value is present but does not parse as the contract's kind (never true for a typed file column that already has the kind) #}
{% macro raw_unparseable(column, kind, types) -%}
    ({{ raw_value(column, 'text', types) }} is not null and ({{ raw_value(column, kind, types) }}) is null)
{%- endmacro %}
