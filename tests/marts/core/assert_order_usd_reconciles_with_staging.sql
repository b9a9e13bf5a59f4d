-- Net USD in fct_orders equals the staging totals converted at the applied rates: per
-- currency, sum over orders of (order_total - capped refunds) x rate, within rounding (half a
-- hundredth of a cent per order).
with

orders as (
    select * from {{ ref('int_orders_validated') }}
    where quarantine_reason is null
),

refunds as (
    select order_id, sum(refund_amount) as refunded from {{ ref('int_refunds_validated') }}
    where quarantine_reason is null
    group by order_id
),

expected as (
    select
        orders.currency_code,
        count(*) as order_count,
        sum((orders.order_total - least(coalesce(refunds.refunded, 0), orders.order_total)) * orders.fx_usd_per_unit)
            as expected_net_usd
    from orders
    left join refunds
        on orders.order_id = refunds.order_id
    group by orders.currency_code
),

actual as (
    select
        currency_code,
        sum(net_usd) as actual_net_usd
    from {{ ref('fct_orders') }}
    group by currency_code
)

select
    expected.currency_code,
    expected.expected_net_usd,
    actual.actual_net_usd
from expected
left join actual
    on expected.currency_code = actual.currency_code
where abs(coalesce(actual.actual_net_usd, 0) - expected.expected_net_usd) > 0.0001 * expected.order_count
