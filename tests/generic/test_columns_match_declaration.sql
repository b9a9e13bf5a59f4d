{# purpose: the relation has exactly the columns declared in its YAML, in that order and with those data_type values (the contract check for Python models, on which dbt cannot enforce contracts) #}
{% test columns_match_declaration(model) %}
{%- set declared = [] -%}
{%- if execute -%}
    {%- set nodes = graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'model')
        | selectattr('alias', 'equalto', model.identifier)
        | selectattr('schema', 'equalto', model.schema)
        | list -%}
    {%- for column in (nodes[0].columns.values() if nodes else []) -%}
        {%- do declared.append((column.name, (column.data_type or '') | upper, loop.index)) -%}
    {%- endfor -%}
{%- endif %}
with

declared_columns as (
    {%- if declared %}
        select * from (values
            {%- for name, data_type, position in declared %}
                ('{{ name }}', '{{ data_type }}', {{ position }}){{ ',' if not loop.last }}
            {%- endfor %}
        ) as declared_values (column_name, data_type, ordinal_position)
    {%- else %}
        select
            'no columns declared' as column_name,
            '' as data_type,
            0 as ordinal_position
    {%- endif %}
),

built_columns as (
    select
        column_name,
        upper(data_type) as data_type,
        ordinal_position
    from information_schema.columns
    where
        table_catalog = '{{ model.database }}'
        and table_schema = '{{ model.schema }}'
        and table_name = '{{ model.identifier }}'
),

mismatches as (
    select
        coalesce(declared_columns.column_name, built_columns.column_name) as column_name,
        declared_columns.data_type as declared_data_type,
        built_columns.data_type as built_data_type,
        declared_columns.ordinal_position as declared_position,
        built_columns.ordinal_position as built_position
    from declared_columns
    full outer join built_columns
        on declared_columns.column_name = built_columns.column_name
    where
        declared_columns.column_name is null
        or built_columns.column_name is null
        or declared_columns.data_type != built_columns.data_type
        or declared_columns.ordinal_position != built_columns.ordinal_position
)

select * from mismatches
{% endtest %}
