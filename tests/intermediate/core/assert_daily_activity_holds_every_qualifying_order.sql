-- Incremental bookkeeping of int_customer_daily_activity: after any sequence of runs, its days
-- that are not tombstones hold exactly the qualifying orders of int_orders_enriched, per person:
-- the same count and net USD (a day missed by an incremental run, or a stale day left behind,
-- shows up here).
with

days as (
    select
        customer_key,
        sum(qualifying_orders) as qualifying_orders,
        sum(net_usd) as net_usd
    from {{ ref('int_customer_daily_activity') }}
    where not _is_deleted
    group by customer_key
),

orders as (
    select
        customer_key,
        count(*) as qualifying_orders,
        sum(net_usd) as net_usd
    from {{ ref('int_orders_enriched') }}
    where is_qualifying
    group by customer_key
)

select
    coalesce(days.customer_key, orders.customer_key) as customer_key,
    days.qualifying_orders as daily_qualifying_orders,
    orders.qualifying_orders as order_count,
    days.net_usd as daily_net_usd,
    orders.net_usd as orders_net_usd
from days
full outer join orders
    on days.customer_key = orders.customer_key
where
    coalesce(days.qualifying_orders, 0) != coalesce(orders.qualifying_orders, 0)
    or abs(coalesce(days.net_usd, 0) - coalesce(orders.net_usd, 0)) > 0.0001
