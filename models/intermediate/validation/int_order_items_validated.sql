-- Every raw order line with its final quarantine reason (null = accepted). A line whose order
-- was itself quarantined is quarantined as parent_quarantined (its money is not counted twice
-- nor orphaned). Product references are checked only when the shop provided a products file.
-- A line of an order placed by an erased account is kept as a count only.
{%- set columns = ['order_id', 'line_number', 'product_id', 'quantity', 'unit_price'] %}
with
{%- if var('as_of_date', '') | string | trim != '' %}

orders_after_observation_end as (
    select distinct order_id
    from {{ ref('stg_shop__orders') }}
    where is_after_observation_end and order_id is not null
),

order_items as (
    -- lines of orders dated after the observation end count nowhere, like their orders
    select staged.*
    from {{ ref('stg_shop__order_items') }} as staged
    left join orders_after_observation_end
        on staged.order_id = orders_after_observation_end.order_id
    where orders_after_observation_end.order_id is null
),
{%- else %}

    order_items as (
        select * from {{ ref('stg_shop__order_items') }}
    ),
{%- endif %}

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

erasure_checked {{ not_materialized() }} (
    select
        order_items.*,
        erased_orders.order_id is not null as is_erased
    from order_items
    left join erased_orders
        on order_items.order_id = erased_orders.order_id
),

{{ duplicate_key_ctes('erasure_checked', ['order_id', 'line_number']) }},

order_status as (
    {{ parent_status('orders', 'order_id') }}
),

product_status as (
    {{ parent_status('products', 'product_id') }}
),

products_provided as (
    select coalesce(bool_or(is_present), false) as is_provided
    from raw_files
    where table_name = 'products'
),

checked as (
    select
        erasure_checked.*,
        case
            when erasure_checked.is_erased then 'erased'
            else coalesce(
                {{ duplicate_key_reason('erasure_checked') }},
                case
                    when order_status.order_id is null then 'unknown_order'
                    when not order_status.has_accepted_row then 'parent_quarantined'
                    when products_provided.is_provided and product_status.product_id is null then 'unknown_product'
                    when products_provided.is_provided and not product_status.has_accepted_row
                        then 'parent_quarantined'
                end
            )
        end as quarantine_reason
    from erasure_checked
    cross join products_provided
    left join first_valid_copies
        on
            erasure_checked.order_id = first_valid_copies.order_id
            and erasure_checked.line_number = first_valid_copies.line_number
    left join order_status
        on erasure_checked.order_id = order_status.order_id
    left join product_status
        on erasure_checked.product_id = product_status.product_id
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
