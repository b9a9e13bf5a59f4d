{# purpose: parse an ISO 8601 text into a naive UTC timestamp (offset or Z converted; no offset = UTC; a date alone = midnight UTC); null when it does not parse #}
{% macro to_utc_timestamp(column) -%}
    {{ text_to_utc_timestamp(clean_text(column)) }}
{%- endmacro %}
