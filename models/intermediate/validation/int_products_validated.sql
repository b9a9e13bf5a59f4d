-- Every raw products row with its final quarantine reason (null = accepted); a duplicate
-- product_id keeps its first valid copy.
with

products as (
    select * from {{ ref('stg_shop__products') }}
),

deduplicated as (
    select
        *,
        {{ quarantine_reason('row_defect', ['product_id']) }} as quarantine_reason
    from products
),

final as (
    select
        product_id,
        category,
        title,
        list_price,
        currency_code,
        quarantine_reason,
        {{ raw_record_if_rejected() }} as raw_record,
        _raw_row_number
    from deduplicated
)

select * from final
