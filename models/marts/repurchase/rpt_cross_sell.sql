-- One row per first-purchase category and category of the next purchase day: how many buyers
-- came back (had a second purchase day by the observation end) for which category, and their
-- share of the first category's repurchasers. The category of a purchase day is that of the
-- largest line of its first order, as for the first order in dim_customers.
with

buyers as (
    select * from {{ ref('int_buyers_profiled') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
    where is_qualifying
),

order_items as (
    select * from {{ ref('fct_order_items') }}
),

repurchasers as (
    select
        customer_key,
        first_order_category,
        second_purchase_date
    from buyers
    where second_purchase_date is not null
),

second_day_first_orders as (
    select
        repurchasers.customer_key,
        {{ arg_min('orders.order_id', ['orders.ordered_at', 'orders.order_id']) }} as order_id
    from repurchasers
    inner join orders
        on
            repurchasers.customer_key = orders.customer_key
            and repurchasers.second_purchase_date = orders.order_date_local
    group by repurchasers.customer_key
),

order_categories as (
    select
        order_id,
        {{ arg_min('category', ['-line_amount_usd', 'line_number']) }} as category
    from order_items
    where order_id in (select second_day_first_orders.order_id from second_day_first_orders)
    group by order_id
),

transitions as (
    select
        repurchasers.customer_key,
        repurchasers.first_order_category,
        coalesce(order_categories.category, 'unknown') as next_purchase_category
    from repurchasers
    left join second_day_first_orders
        on repurchasers.customer_key = second_day_first_orders.customer_key
    left join order_categories
        on second_day_first_orders.order_id = order_categories.order_id
),

counted as (
    select
        first_order_category,
        next_purchase_category,
        count(*) as customers
    from transitions
    group by first_order_category, next_purchase_category
),

final as (
    select
        first_order_category,
        next_purchase_category,
        first_order_category = next_purchase_category as is_same_category,
        customers,
        cast(sum(customers) over (partition by first_order_category) as bigint) as first_category_repurchasers,
        customers / sum(customers) over (partition by first_order_category) as share_of_repurchasers
    from counted
)

select * from final
