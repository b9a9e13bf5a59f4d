with

source as (
    select * from {{ source('shop', 'order_items') }}
),

erased_orders as (
    select * from {{ ref('stg_shop__erased_orders') }}
),

parsed as (
    select
        source._raw_row_number,
        {{ clean_text('source.order_id') }} as order_id,
        {{ to_integer('source.line_number') }} as line_number,
        {{ clean_text('source.product_id') }} as product_id,
        {{ to_integer('source.quantity') }} as quantity,
        {{ to_decimal('source.unit_price') }} as unit_price,
        {{ clean_text('source.order_id') }} is null
        or {{ clean_text('source.line_number') }} is null
        or {{ clean_text('source.product_id') }} is null
        or {{ clean_text('source.quantity') }} is null
        or {{ clean_text('source.unit_price') }} is null as is_missing_required,
        {{ unparseable('source.line_number', to_integer('source.line_number')) }}
        or {{ unparseable('source.quantity', to_integer('source.quantity')) }}
        or {{ unparseable('source.unit_price', to_decimal('source.unit_price')) }} as is_unparseable_number,
        coalesce({{ clean_text('source.order_id') }} in (select erased_orders.order_id from erased_orders), false) as is_erased,
        struct_pack(
            order_id := source.order_id,
            line_number := source.line_number,
            product_id := source.product_id,
            quantity := source.quantity,
            unit_price := source.unit_price
        ) as raw_values
    from source
),

checked as (
    select
        *,
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_number then 'unparseable_number'
            when quantity <= 0 or unit_price < 0 then 'out_of_range'
        end as row_defect
    from parsed
    where not is_erased
),

deduplicated as (
    select
        *,
        {{ quarantine_reason('row_defect', ['order_id', 'line_number']) }} as quarantine_reason
    from checked
),

final as (
    select
        order_id,
        line_number,
        product_id,
        quantity,
        unit_price,
        quarantine_reason,
        case when quarantine_reason is not null then to_json(raw_values)::varchar end as raw_record,
        _raw_row_number
    from deduplicated
),

{{ select_with_erased_rows() }}
