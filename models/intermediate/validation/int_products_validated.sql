-- Every raw products row with its final quarantine reason (null = accepted); a duplicate
-- product_id keeps its first valid copy.
{%- set columns = ['product_id', 'category', 'title', 'list_price', 'currency_code'] %}
with

products {{ not_materialized() }} (
    select
        *,
        false as is_erased
    from {{ ref('stg_shop__products') }}
),

{{ duplicate_key_ctes('products', ['product_id']) }},

checked as (
    select
        products.*,
        {{ duplicate_key_reason('products') }} as quarantine_reason
    from products
    left join first_valid_copies
        on products.product_id = first_valid_copies.product_id
),

final as (
    select
        {{ unless_erased('checked', columns) }},
        checked.quarantine_reason,
        {{ rejected_row_record('checked', columns) }} as raw_record,
        checked._raw_row_number
    from checked
)

select * from final
