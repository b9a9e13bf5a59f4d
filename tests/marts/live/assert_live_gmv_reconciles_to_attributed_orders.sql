-- Reconciliation: the net and gross GMV and the order count over all broadcasts equal those of
-- the fct_orders rows the rule counts, recomputed here from fct_orders and dim_live_sessions
-- (qualifying, attributed to an accepted broadcast, placed from its start to its end plus
-- post_live_attribution_days). And per broadcast, every attributed order is accounted for
-- exactly once: counted, non-qualifying, late or before the start. Returns the differences.
with

orders as (
    select * from {{ ref('fct_orders') }}
),

live_sessions as (
    select * from {{ ref('dim_live_sessions') }}
),

session_performance as (
    select * from {{ ref('fct_live_session_performance') }}
),

attributed as (
    select
        orders.order_id,
        orders.live_session_id as session_id,
        orders.is_qualifying,
        orders.gross_usd,
        orders.net_usd,
        orders.ordered_at >= live_sessions.started_at
        and orders.ordered_at
        <= live_sessions.ended_at + interval {{ var('post_live_attribution_days') }} day as is_in_window
    from orders
    inner join live_sessions
        on orders.live_session_id = live_sessions.session_id
),

expected_totals as (
    select
        coalesce(sum(net_usd) filter (where is_qualifying and is_in_window), 0) as gmv_net_usd,
        coalesce(sum(gross_usd) filter (where is_qualifying and is_in_window), 0) as gmv_gross_usd,
        count(*) filter (where is_qualifying and is_in_window) as counted_orders
    from attributed
),

mart_totals as (
    select
        coalesce(sum(gmv_net_usd), 0) as gmv_net_usd,
        coalesce(sum(gmv_gross_usd), 0) as gmv_gross_usd,
        coalesce(sum(orders), 0) as counted_orders
    from session_performance
),

total_differences as (
    select
        'all broadcasts' as scope,
        expected_totals.gmv_net_usd as expected_gmv_net_usd,
        mart_totals.gmv_net_usd as mart_gmv_net_usd,
        expected_totals.counted_orders as expected_orders,
        mart_totals.counted_orders as mart_orders
    from expected_totals
    cross join mart_totals
    where
        expected_totals.gmv_net_usd != mart_totals.gmv_net_usd
        or expected_totals.gmv_gross_usd != mart_totals.gmv_gross_usd
        or expected_totals.counted_orders != mart_totals.counted_orders
),

attributed_per_session as (
    select
        session_id,
        count(*) as attributed_orders
    from attributed
    group by session_id
),

session_differences as (
    select
        session_performance.session_id as scope,
        null as expected_gmv_net_usd,
        null as mart_gmv_net_usd,
        coalesce(attributed_per_session.attributed_orders, 0) as expected_orders,
        session_performance.orders
        + session_performance.non_qualifying_orders
        + session_performance.late_attributed_orders
        + session_performance.before_start_attributed_orders as mart_orders
    from session_performance
    left join attributed_per_session
        on session_performance.session_id = attributed_per_session.session_id
    where
        coalesce(attributed_per_session.attributed_orders, 0)
        != session_performance.orders
        + session_performance.non_qualifying_orders
        + session_performance.late_attributed_orders
        + session_performance.before_start_attributed_orders
)

select * from total_differences
union all
select * from session_differences
