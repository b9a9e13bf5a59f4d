{# purpose: parse a raw whole number ('3', '3.0') into bigint; null when it does not parse or is not whole #}
{% macro to_integer(column) -%}
    case
        when try_cast({{ clean_text(column) }} as double) = floor(try_cast({{ clean_text(column) }} as double))
            then try_cast(try_cast({{ clean_text(column) }} as double) as bigint)
    end
{%- endmacro %}
