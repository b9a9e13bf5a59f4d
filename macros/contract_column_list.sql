{# purpose: the columns a model documents in its YAML (its contract), as a select list qualified by a relation name; a thin mart selects exactly its public columns with it (internal bookkeeping columns stay out) #}
{% macro contract_column_list(relation_name) -%}
    {%- if not execute or model.columns | length == 0 -%}
        {{ relation_name }}.*
    {%- else -%}
        {%- for column_name in model.columns -%}
            {{ relation_name }}.{{ adapter.quote(column_name) }}{{ ',\n        ' if not loop.last }}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
