-- One row per raw row that broke the contract, from every raw table, with the reason.
{%- set tables = validated_raw_tables() %}
with

{% for table in tables -%}
    {{ table.table }} as (
        select
            '{{ table.table }}' as table_name,
            _raw_row_number as raw_row_number,
            case when quarantine_reason != 'erased' then {{ table.key }} end as record_key,
            quarantine_reason,
            raw_record
        from {{ ref(table.model) }}
        where quarantine_reason is not null
    ),

{% endfor -%}
unioned as (
    {%- for table in tables %}
        select * from {{ table.table }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from unioned
