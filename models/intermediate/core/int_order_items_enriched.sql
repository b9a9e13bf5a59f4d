-- One row per accepted order line, with its product category and USD value at the order's
-- applied rate. _changed_at marks the lines that changed in a run (incremental models follow it).
with

order_items as (
    select * from {{ ref('int_order_items_validated') }}
    where quarantine_reason is null
),

orders as (
    select * from {{ ref('int_orders_enriched') }}
),

products as (
    select * from {{ ref('int_products_catalogued') }}
),

final as (
    select
        order_items.order_id,
        order_items.line_number,
        orders.customer_key,
        order_items.product_id,
        products.category,
        order_items.quantity,
        order_items.unit_price,
        orders.currency_code,
        cast(order_items.quantity * order_items.unit_price as decimal(18, 4)) as line_amount,
        {{ usd_amount('order_items.quantity * order_items.unit_price', 'orders.fx_usd_per_unit') }}
            as line_amount_usd,
        orders.fx_rate_date,
        orders.fx_rate_source,
        orders.ordered_at,
        orders.order_date_local,
        orders.is_qualifying
    from order_items
    inner join orders
        on order_items.order_id = orders.order_id
    inner join products
        on order_items.product_id = products.product_id
),

{{ change_stamped('final', ['order_id', 'line_number'], [
    'customer_key', 'category', 'line_amount_usd', 'order_date_local', 'is_qualifying'
], previous_columns=['customer_key']) }}

select * from change_stamped
