{# purpose: phone as E.164 digits (no '+', no leading international '00', no separators); null when no digit is left #}
{% macro normalise_phone(column) -%}
    nullif(regexp_replace({{ regexp_replace_all(column, '[^0-9]', '') }}, '^00', ''), '')
{%- endmacro %}
