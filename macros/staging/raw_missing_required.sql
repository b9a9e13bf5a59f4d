{# purpose: true when any column the raw contract (_shop__sources.yml, meta.required) requires of this table is empty; the one place the list of required columns lives #}
{% macro raw_missing_required(table_name, types) -%}
    {%- set required = [] -%}
    {%- for column_name, column in contract_table(table_name).columns.items() -%}
        {%- if column.meta.get('required', false) -%}
            {%- do required.append('(' ~ raw_value(column_name, 'text', types) ~ ') is null') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if required | length == 0 -%}false{%- else -%}({{ required | join(' or ') }}){%- endif -%}
{%- endmacro %}
