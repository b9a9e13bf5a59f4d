-- The validation layer keeps every raw row (accepted, quarantined or erased): per contract
-- table, the validation model's row count equals the raw file's.
with

counts as (
    {%- for entry in validated_raw_tables() %}
        select
            '{{ entry.table }}' as table_name,
            (select count(*) from {{ source('shop', entry.table) }}) as raw_rows,
            (select count(*) from {{ ref(entry.model) }}) as validated_rows
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from counts
where raw_rows != validated_rows
