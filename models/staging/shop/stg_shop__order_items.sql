{%- set source_relation = source('shop', 'order_items') -%}
{%- set types = raw_column_types(source_relation) -%}
-- One row per raw order line, typed, own defects flagged.
with

source as (
    select * from {{ source_relation }}
),

parsed as (
    select
        _raw_row_number,
        {{ raw_value('order_id', 'text', types) }} as order_id,
        {{ raw_value('line_number', 'integer', types) }} as line_number,
        {{ raw_value('product_id', 'text', types) }} as product_id,
        {{ raw_value('quantity', 'integer', types) }} as quantity,
        {{ raw_value('unit_price', 'decimal', types) }} as unit_price,
        {{ raw_missing_required('order_items', types) }} as is_missing_required,
        {{ raw_unparseable('line_number', 'integer', types) }}
        or {{ raw_unparseable('quantity', 'integer', types) }}
        or {{ raw_unparseable('unit_price', 'decimal', types) }} as is_unparseable_number,
        {{ raw_columns_kept('order_items') }}
    from source
),

flagged as (
    select
        *,
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_number then 'unparseable_number'
            when quantity <= 0 or unit_price < 0 then 'out_of_range'
        end as row_defect
    from parsed
),

final as (
    select
        _raw_row_number,
        order_id,
        line_number,
        product_id,
        quantity,
        unit_price,
        row_defect,
        case when row_defect is not null then {{ raw_record_values('order_items', types) }} end as raw_record
    from flagged
)

select * from final
