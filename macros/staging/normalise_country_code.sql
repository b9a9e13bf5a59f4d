{# purpose: ISO 3166-1 alpha-2 code upper-cased; missing or malformed -> 'ZZ' (unknown), as the raw contract says #}
{% macro normalise_country_code(column) -%}
    case
        when {{ regexp_full_match('upper(' ~ clean_text(column) ~ ')', '[A-Z]{2}') }} then upper({{ clean_text(column) }})
        else 'ZZ'
    end
{%- endmacro %}
