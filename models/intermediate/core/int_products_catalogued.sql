-- One row per product: the shop's accepted products, plus any product an accepted order line
-- references when the shop provided no products file (category 'unknown'), so every line has
-- a product row.
with

products as (
    select * from {{ ref('int_products_validated') }}
    where quarantine_reason is null
),

order_items as (
    select * from {{ ref('int_order_items_validated') }}
    where quarantine_reason is null
),

referenced_only as (
    select distinct order_items.product_id
    from order_items
    left join products
        on order_items.product_id = products.product_id
    where products.product_id is null
),

final as (
    select
        product_id,
        category,
        title,
        list_price,
        currency_code,
        true as is_in_products_file
    from products

    union all

    select
        product_id,
        'unknown' as category,
        null as title,
        null as list_price,
        null as currency_code,
        false as is_in_products_file
    from referenced_only
)

select * from final
