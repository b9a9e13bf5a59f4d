-- Every raw order line with its final quarantine reason (null = accepted). A line whose order
-- was itself quarantined is quarantined as parent_quarantined (its money is not counted twice
-- nor orphaned). Product references are checked only when the shop provided a products file.
-- Lines of orders placed by erased accounts become count-only rows.
with

order_items as (
    select * from {{ ref('stg_shop__order_items') }}
),

erased_orders as (
    select * from {{ ref('int_erased_orders') }}
),

orders as (
    select * from {{ ref('int_orders_validated') }}
),

products as (
    select * from {{ ref('int_products_validated') }}
),

raw_files as (
    select * from {{ ref('stg_shop_meta__raw_files') }}
),

erasure_checked as (
    select
        order_items.*,
        erased_orders.order_id is not null as is_erased
    from order_items
    left join erased_orders
        on order_items.order_id = erased_orders.order_id
),

deduplicated as (
    select
        *,
        {{ quarantine_reason('row_defect', ['order_id', 'line_number']) }} as own_quarantine_reason
    from erasure_checked
    where not is_erased
),

order_status as (
    select
        order_id,
        bool_or(quarantine_reason is null) as has_accepted_row
    from orders
    where order_id is not null
    group by order_id
),

product_status as (
    select
        product_id,
        bool_or(quarantine_reason is null) as has_accepted_row
    from products
    where product_id is not null
    group by product_id
),

products_provided as (
    select coalesce(bool_or(is_present), false) as is_provided
    from raw_files
    where table_name = 'products'
),

checked as (
    select
        deduplicated.*,
        coalesce(
            deduplicated.own_quarantine_reason,
            case
                when order_status.order_id is null then 'unknown_order'
                when not order_status.has_accepted_row then 'parent_quarantined'
                when products_provided.is_provided and product_status.product_id is null then 'unknown_product'
                when products_provided.is_provided and not product_status.has_accepted_row then 'parent_quarantined'
            end
        ) as quarantine_reason
    from deduplicated
    cross join products_provided
    left join order_status
        on deduplicated.order_id = order_status.order_id
    left join product_status
        on deduplicated.product_id = product_status.product_id
),

final as (
    select
        order_id,
        line_number,
        product_id,
        quantity,
        unit_price,
        quarantine_reason,
        {{ raw_record_if_rejected() }} as raw_record,
        _raw_row_number
    from checked
),

{{ select_with_erased_rows() }}
