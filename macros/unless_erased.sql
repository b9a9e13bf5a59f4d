{# purpose: the select list of a validation model's row columns, each null on a row of an erased account (such a row is kept as a count only: its position, and the columns named in keep) #}
{% macro unless_erased(relation, columns, keep=[]) -%}
    {%- for column in columns -%}
        {%- if column in keep -%}
        {{ relation }}.{{ column }}
        {%- else -%}
        case when not {{ relation }}.is_erased then {{ relation }}.{{ column }} end as {{ column }}
        {%- endif -%}
        {{ ',\n        ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
