-- Staging must keep every raw row (accepted, quarantined or erased): its row count equals
-- the raw file's for every contract table.
{%- set pairs = [
    ('customers', 'stg_shop__customers'), ('customer_identifiers', 'stg_shop__customer_identifiers'),
    ('products', 'stg_shop__products'), ('orders', 'stg_shop__orders'), ('order_items', 'stg_shop__order_items'),
    ('refunds', 'stg_shop__refunds'), ('live_sessions', 'stg_shop__live_sessions'),
    ('live_events', 'stg_shop__live_events'), ('stream_quality', 'stg_shop__stream_quality_samples'),
    ('fx_rates', 'stg_shop__fx_rates'), ('deletion_requests', 'stg_shop__deletion_requests'),
] %}
with

counts as (
    {%- for raw_table, model in pairs %}
        select
            '{{ raw_table }}' as table_name,
            (select count(*) from {{ source('shop', raw_table) }}) as raw_rows,
            (select count(*) from {{ ref(model) }}) as staged_rows
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from counts
where raw_rows != staged_rows
