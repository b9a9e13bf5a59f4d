-- Reconciliation of the minute curve with its broadcast: ceil(duration / 60) minutes; the
-- largest in-minute peak equals the broadcast's peak concurrent viewers; joins and leaves add
-- up to the broadcast's join and leave events; orders and net GMV add up to those placed during
-- the broadcast. Broadcasts of zero length have no minutes and are skipped. Returns the
-- broadcasts that differ.
with

minute_activity as (
    select * from {{ ref('fct_live_minute_activity') }}
),

session_performance as (
    select * from {{ ref('fct_live_session_performance') }}
),

live_sessions as (
    select * from {{ ref('dim_live_sessions') }}
),

live_events as (
    select * from {{ ref('fct_live_events') }}
),

minutes_per_session as (
    select
        session_id,
        count(*) as minutes,
        max(peak_concurrent_viewers) as peak_concurrent_viewers,
        sum(joins) as joins,
        sum(leaves) as leaves,
        sum(orders) as orders,
        sum(gmv_net_usd) as gmv_net_usd
    from minute_activity
    group by session_id
),

events_per_session as (
    select
        session_id,
        count(*) filter (where event_type = 'join') as joins,
        count(*) filter (where event_type = 'leave') as leaves
    from live_events
    group by session_id
),

compared as (
    select
        live_sessions.session_id,
        cast(ceil(live_sessions.duration_seconds / 60.0) as bigint) as expected_minutes,
        coalesce(minutes_per_session.minutes, 0) as minutes,
        session_performance.peak_concurrent_viewers as expected_peak,
        coalesce(minutes_per_session.peak_concurrent_viewers, 0) as peak,
        coalesce(events_per_session.joins, 0) as expected_joins,
        coalesce(minutes_per_session.joins, 0) as joins,
        coalesce(events_per_session.leaves, 0) as expected_leaves,
        coalesce(minutes_per_session.leaves, 0) as leaves,
        session_performance.orders_during as expected_orders,
        coalesce(minutes_per_session.orders, 0) as orders,
        session_performance.gmv_net_usd_during as expected_gmv_net_usd,
        coalesce(minutes_per_session.gmv_net_usd, 0) as gmv_net_usd
    from live_sessions
    inner join session_performance
        on live_sessions.session_id = session_performance.session_id
    left join minutes_per_session
        on live_sessions.session_id = minutes_per_session.session_id
    left join events_per_session
        on live_sessions.session_id = events_per_session.session_id
    where live_sessions.duration_seconds > 0
)

select * from compared
where
    expected_minutes != minutes
    or expected_peak != peak
    or expected_joins != joins
    or expected_leaves != leaves
    or expected_orders != orders
    or expected_gmv_net_usd != gmv_net_usd
