-- Every raw refund with its final quarantine reason (null = accepted): it must belong to an
-- accepted order and cannot precede the order. Refunds of orders placed by erased accounts
-- become count-only rows; a duplicate refund_id keeps its first valid copy.
with

refunds as (
    select * from {{ ref('stg_shop__refunds') }}
),

erased_orders as (
    select * from {{ ref('int_erased_orders') }}
),

orders as (
    select * from {{ ref('int_orders_validated') }}
),

erasure_checked as (
    select
        refunds.*,
        erased_orders.order_id is not null as is_erased
    from refunds
    left join erased_orders
        on refunds.order_id = erased_orders.order_id
),

deduplicated as (
    select
        *,
        {{ quarantine_reason('row_defect', ['refund_id']) }} as own_quarantine_reason
    from erasure_checked
    where not is_erased
),

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
        deduplicated.*,
        coalesce(
            deduplicated.own_quarantine_reason,
            case
                when order_ids.order_id is null then 'unknown_order'
                when accepted_orders.order_id is null then 'parent_quarantined'
                when deduplicated.refunded_at < accepted_orders.ordered_at then 'end_before_start'
            end
        ) as quarantine_reason
    from deduplicated
    left join order_ids
        on deduplicated.order_id = order_ids.order_id
    left join accepted_orders
        on deduplicated.order_id = accepted_orders.order_id
),

final as (
    select
        refund_id,
        order_id,
        refunded_at,
        refund_amount,
        quarantine_reason,
        {{ raw_record_if_rejected() }} as raw_record,
        _raw_row_number
    from checked
),

{{ select_with_erased_rows() }}
