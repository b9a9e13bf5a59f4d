-- Per month, the net USD of rpt_segment_summary (summed over the lifecycle stages, which
-- partition the people) equals the net USD of qualifying orders in fct_orders on market-local
-- dates of that month up to the observation end, and the buyers equal the distinct buyers.
with

summary as (
    select
        period_start_date,
        sum(net_usd) as summary_net_usd,
        sum(buyers) as summary_buyers
    from {{ ref('rpt_segment_summary') }}
    where period_type = 'month' and segment_type = 'lifecycle_stage'
    group by period_start_date
),

observation_end as (
    select * from {{ ref('int_observation_end') }}
),

orders as (
    select
        cast(date_trunc('month', fct_orders.order_date_local) as date) as period_start_date,
        sum(fct_orders.net_usd) as orders_net_usd,
        count(distinct fct_orders.customer_key) as order_buyers
    from {{ ref('fct_orders') }} as fct_orders
    cross join observation_end
    where fct_orders.is_qualifying and fct_orders.order_date_local <= observation_end.as_of_date
    group by all
)

select
    coalesce(summary.period_start_date, orders.period_start_date) as period_start_date,
    summary.summary_net_usd,
    orders.orders_net_usd,
    summary.summary_buyers,
    orders.order_buyers
from summary
full outer join orders
    on summary.period_start_date = orders.period_start_date
where
    abs(coalesce(summary.summary_net_usd, 0) - coalesce(orders.orders_net_usd, 0)) > 0.01
    or coalesce(summary.summary_buyers, 0) != coalesce(orders.order_buyers, 0)
