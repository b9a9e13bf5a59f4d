{# purpose: the relation has exactly the columns declared in its YAML, in that order and with those data_type values (the contract check for Python models, on which dbt cannot enforce contracts); type names are compared in a normal form, so the same declaration holds on DuckDB and Spark (varchar/string, integer/int) #}
{% test columns_match_declaration(model) %}
{%- set mismatches = [] -%}
{%- if execute -%}
    {%- set nodes = graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'model')
        | selectattr('alias', 'equalto', model.identifier)
        | selectattr('schema', 'equalto', model.schema)
        | list -%}
    {%- set declared = [] -%}
    {%- for column in (nodes[0].columns.values() if nodes else []) -%}
        {%- do declared.append((column.name, normal_type_name(column.data_type or ''))) -%}
    {%- endfor -%}
    {%- if not declared -%}
        {%- do mismatches.append(('no columns declared', '', '', 0, 0)) -%}
    {%- endif -%}
    {%- set built = [] -%}
    {%- for column in adapter.get_columns_in_relation(model) -%}
        {%- do built.append((column.name, normal_type_name(column.dtype))) -%}
    {%- endfor -%}
    {%- for position in range([declared | length, built | length] | max) -%}
        {%- set want = declared[position] if position < declared | length else (none, none) -%}
        {%- set got = built[position] if position < built | length else (none, none) -%}
        {%- if want != got -%}
            {%- do mismatches.append((want[0] or got[0], want[1] or '', got[1] or '', position + 1, position + 1)) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}
{%- if mismatches %}
select *
from (values
    {%- for name, declared_type, built_type, declared_position, built_position in mismatches %}
    ('{{ name }}', '{{ declared_type }}', '{{ built_type }}', {{ declared_position }}, {{ built_position }})
    {{- ',' if not loop.last }}
    {%- endfor %}
) as mismatches (column_name, declared_data_type, built_data_type, declared_position, built_position)
{%- else %}
select
    'none' as column_name,
    '' as declared_data_type,
    '' as built_data_type,
    0 as declared_position,
    0 as built_position
where 1 = 0
{%- endif %}
{% endtest %}
