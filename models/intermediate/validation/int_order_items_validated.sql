-- Every raw order line with its final quarantine reason (null = accepted). A line whose order
-- was itself quarantined is quarantined as parent_quarantined (its money is not counted twice
-- nor orphaned). Product references are checked only when the shop provided a products file.
with

order_items as (
    select * from {{ ref('stg_shop__order_items') }}
),

orders as (
    select * from {{ ref('int_orders_validated') }}
),

products as (
    select * from {{ ref('stg_shop__products') }}
),

raw_files as (
    select * from {{ ref('stg_shop_meta__raw_files') }}
),

order_status as (
    select
        order_id,
        bool_or(quarantine_reason is null) as has_accepted_row
    from orders
    group by order_id
),

product_status as (
    select
        product_id,
        bool_or(quarantine_reason is null) as has_accepted_row
    from products
    group by product_id
),

products_provided as (
    select coalesce(bool_or(is_present), false) as is_provided
    from raw_files
    where table_name = 'products'
),

checked as (
    select
        order_items.* exclude (quarantine_reason, raw_record),
        coalesce(
            order_items.quarantine_reason,
            case
                when order_status.order_id is null then 'unknown_order'
                when not order_status.has_accepted_row then 'parent_quarantined'
                when
                    (select products_provided.is_provided from products_provided)
                    and product_status.product_id is null then 'unknown_product'
                when
                    (select products_provided.is_provided from products_provided)
                    and not product_status.has_accepted_row then 'parent_quarantined'
            end
        ) as quarantine_reason,
        order_items.raw_record
    from order_items
    left join order_status
        on order_items.order_id = order_status.order_id
    left join product_status
        on order_items.product_id = product_status.product_id
),

final as (
    select
        * exclude (raw_record),
        coalesce(
            raw_record,
            case when quarantine_reason not in ('erased') then to_json(struct_pack(
                order_id, line_number, product_id, quantity, unit_price
            ))::varchar end
        ) as raw_record
    from checked
)

select * from final
