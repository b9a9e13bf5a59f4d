{# purpose: trim a raw text value (spaces on either side) and turn an empty string into null; trims only values that need it, as trimming every value costs more than the rest of staging #}
{% macro clean_text(column) -%}
    case
        when {{ column }} = '' then null
        when {{ text_starts_with(column, ' ') }} or {{ text_ends_with(column, ' ') }} then nullif(trim({{ column }}), '')
        else {{ column }}
    end
{%- endmacro %}
