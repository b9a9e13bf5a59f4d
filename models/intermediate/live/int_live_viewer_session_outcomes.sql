{{ config(**session_keyed_incremental_config()) }}
{%- set plan = incremental_plan() -%}
-- depends_on: {{ ref('int_live_events_resolved') }}
-- depends_on: {{ ref('int_live_sessions_validated') }}
-- depends_on: {{ ref('int_stream_quality_samples_validated') }}
-- depends_on: {{ ref('int_orders_enriched') }}
-- One row per viewer-session with a join: how long the viewer watched, whether they left early
-- (total watch under 60 seconds and the last watch interval closed by a leave, not by the session
-- end), and the orders of the broadcast counted in its GMV (int_live_attributed_orders,
-- is_counted_in_gmv) that belong to the viewer's person. When one person joined the same
-- broadcast with several viewer ids, the orders go to one of them only (the longest watch, then
-- the smallest viewer_id), so summing viewer-sessions never counts an order twice. Counted
-- orders of a person without a joined, identified viewer-session stay with the broadcast only.
-- Incremental by broadcast (changed_live_sessions).
with
{{ changed_sessions_cte(plan) }}
viewer_sessions {{ not_materialized() }} (
    select * from {{ ref('int_viewer_sessions_aggregated') }}
    where has_joined {{- only_changed_sessions(plan) }}
),

watch_intervals as (
    select * from {{ ref('int_live_watch_intervals') }}
    where true {{- only_changed_sessions(plan) }}
),

attributed_orders as (
    select * from {{ ref('int_live_attributed_orders') }}
    where is_counted_in_gmv {{- only_changed_sessions(plan) }}
),

last_intervals as (
    select
        session_id,
        viewer_id,
        {{ arg_max('closed_by', ['interval_number']) }} as last_closed_by
    from watch_intervals
    group by session_id, viewer_id
),

orders_per_person as (
    select
        session_id,
        customer_key,
        count(*) as counted_orders,
        sum(gross_usd) as counted_gross_usd,
        sum(net_usd) as counted_net_usd
    from attributed_orders
    group by session_id, customer_key
),

order_owner as (
    select
        session_id,
        viewer_id,
        customer_key,
        row_number() over (
            partition by session_id, customer_key order by watch_seconds desc, viewer_id asc
        ) = 1 as is_order_owner
    from viewer_sessions
    where customer_key is not null
),

final as (
    select
        viewer_sessions.session_id,
        viewer_sessions.viewer_id,
        viewer_sessions.customer_key,
        viewer_sessions.is_logged_in,
        cast(viewer_sessions.watch_seconds as bigint) as watch_seconds,
        viewer_sessions.interactions,
        viewer_sessions.watch_seconds < 60 and last_intervals.last_closed_by = 'leave' as is_early_exit,
        coalesce(orders_per_person.counted_orders, 0) as counted_orders,
        cast(coalesce(orders_per_person.counted_gross_usd, 0) as decimal(18, 4)) as counted_gross_usd,
        cast(coalesce(orders_per_person.counted_net_usd, 0) as decimal(18, 4)) as counted_net_usd,
        coalesce(orders_per_person.counted_orders, 0) > 0 as has_counted_order,
        {{ run_stamp() }} as _changed_at
    from viewer_sessions
    inner join last_intervals
        on
            viewer_sessions.session_id = last_intervals.session_id
            and viewer_sessions.viewer_id = last_intervals.viewer_id
    left join order_owner
        on
            viewer_sessions.session_id = order_owner.session_id
            and viewer_sessions.viewer_id = order_owner.viewer_id
            and order_owner.is_order_owner
    left join orders_per_person
        on
            order_owner.session_id = orders_per_person.session_id
            and order_owner.customer_key = orders_per_person.customer_key
)

select * from final
