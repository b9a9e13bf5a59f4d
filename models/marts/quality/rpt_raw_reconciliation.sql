-- Per raw table: rows read, accepted, quarantined (broke the contract) and erased (right to
-- erasure). raw_rows = accepted_rows + quarantined_rows + erased_rows always (tested); a table
-- the shop did not provide shows zeros.
{%- set tables = validated_raw_tables() %}
with

raw_files as (
    select * from {{ ref('stg_shop_meta__raw_files') }}
),

{% for table in tables -%}
    {{ table.table }} as (
        select
            '{{ table.table }}' as table_name,
            count(*) as raw_rows,
            count(*) filter (where quarantine_reason is null) as accepted_rows,
            count(*) filter (
                where quarantine_reason is not null and quarantine_reason != 'erased'
            ) as quarantined_rows,
            count(*) filter (where quarantine_reason = 'erased') as erased_rows
        from {{ ref(table.model) }}
    ),

{% endfor -%}
unioned as (
    {%- for table in tables %}
        select * from {{ table.table }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        unioned.table_name,
        raw_files.is_required,
        raw_files.is_present,
        -- the file name only: the folder is the build's (warehouse_build_info), so the same
        -- shop built from another folder reconciles to the same rows
        regexp_extract(raw_files.file_path, '[^/]+$', 0) as file_name,
        raw_files.file_format,
        unioned.raw_rows,
        unioned.accepted_rows,
        unioned.quarantined_rows,
        unioned.erased_rows
    from unioned
    left join raw_files
        on unioned.table_name = raw_files.table_name
)

select * from final
