{# purpose: primary subtag of a BCP 47 tag, lower-cased ('pt-BR' -> 'pt', 'zh_Hans' -> 'zh'); null when missing or malformed #}
{% macro language_subtag(column) -%}
    case
        when {{ regexp_full_match("lower(split_part(replace(" ~ clean_text(column) ~ ", '_', '-'), '-', 1))", '[a-z]{2,3}') }}
            then lower(split_part(replace({{ clean_text(column) }}, '_', '-'), '-', 1))
    end
{%- endmacro %}
