-- Every raw refund with its final quarantine reason (null = accepted): it must belong to an
-- accepted order and cannot precede the order. A refund of an order placed by an erased account
-- is kept as a count only; a duplicate refund_id keeps its first valid copy.
{%- set columns = ['refund_id', 'order_id', 'refunded_at', 'refund_amount'] %}
with

refunds as (
    select * from {{ ref('stg_shop__refunds') }}
    where is_after_observation_end is not true
),

erased_orders as (
    select * from {{ ref('int_erased_orders') }}
),

orders as (
    select * from {{ ref('int_orders_validated') }}
),

erasure_checked {{ not_materialized() }} (
    select
        refunds.*,
        erased_orders.order_id is not null as is_erased
    from refunds
    left join erased_orders
        on refunds.order_id = erased_orders.order_id
),

{{ duplicate_key_ctes('erasure_checked', ['refund_id']) }},

accepted_orders as (
    select
        order_id,
        ordered_at
    from orders
    where quarantine_reason is null
),

order_ids as (
    select distinct order_id
    from orders
    where order_id is not null
),

checked as (
    select
        erasure_checked.*,
        case
            when erasure_checked.is_erased then 'erased'
            else coalesce(
                {{ duplicate_key_reason('erasure_checked') }},
                case
                    when order_ids.order_id is null then 'unknown_order'
                    when accepted_orders.order_id is null then 'parent_quarantined'
                    when erasure_checked.refunded_at < accepted_orders.ordered_at then 'end_before_start'
                end
            )
        end as quarantine_reason
    from erasure_checked
    left join first_valid_copies
        on erasure_checked.refund_id = first_valid_copies.refund_id
    left join order_ids
        on erasure_checked.order_id = order_ids.order_id
    left join accepted_orders
        on erasure_checked.order_id = accepted_orders.order_id
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
