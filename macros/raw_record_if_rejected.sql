{# purpose: the raw values of a rejected row as JSON text (raw_record); null for an accepted row, so raw values are kept for rejected rows only #}
{% macro raw_record_if_rejected(reason_column='quarantine_reason', values_column='raw_values') -%}
    case when {{ reason_column }} is not null then cast(to_json({{ values_column }}) as varchar) end
{%- endmacro %}
