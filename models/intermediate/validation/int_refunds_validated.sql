-- Every raw refund with its final quarantine reason (null = accepted): it must belong to an
-- accepted order and cannot precede the order.
with

refunds as (
    select * from {{ ref('stg_shop__refunds') }}
),

orders as (
    select * from {{ ref('int_orders_validated') }}
),

accepted_orders as (
    select
        order_id,
        ordered_at
    from orders
    where quarantine_reason is null
),

order_ids as (
    select distinct order_id from orders
),

checked as (
    select
        refunds.* exclude (quarantine_reason, raw_record),
        coalesce(
            refunds.quarantine_reason,
            case
                when order_ids.order_id is null then 'unknown_order'
                when accepted_orders.order_id is null then 'parent_quarantined'
                when refunds.refunded_at < accepted_orders.ordered_at then 'end_before_start'
            end
        ) as quarantine_reason,
        refunds.raw_record
    from refunds
    left join order_ids
        on refunds.order_id = order_ids.order_id
    left join accepted_orders
        on refunds.order_id = accepted_orders.order_id
),

final as (
    select
        * exclude (raw_record),
        coalesce(
            raw_record,
            case when quarantine_reason not in ('erased') then to_json(struct_pack(
                refund_id, order_id, refunded_at, refund_amount
            ))::varchar end
        ) as raw_record
    from checked
)

select * from final
