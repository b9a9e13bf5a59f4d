{{ config(**session_keyed_incremental_config()) }}
{%- set plan = incremental_plan() -%}
-- depends_on: {{ ref('int_live_sessions_validated') }}
-- depends_on: {{ ref('int_stream_quality_samples_validated') }}
-- One row per viewer per broadcast. Watch time pairs each join with the viewer's next join or
-- leave (a join followed by another join closes at that join; a join with no leave runs to the
-- session end; a leave without a join adds nothing: int_live_watch_intervals); times are clipped to the session and the
-- total is capped at the session length. Several join/leave pairs add up. Whether it is the
-- viewer's first broadcast is int_viewer_first_sessions. Incremental by broadcast.
with
{{ changed_sessions_cte(plan) }}
live_events {{ not_materialized() }} (
    select * from {{ ref('int_live_events_resolved') }}
    where not _is_deleted {{- only_changed_sessions(plan) }}
),

live_sessions as (
    select * from {{ ref('int_live_sessions_localised') }}
),

watch_intervals as (
    select * from {{ ref('int_live_watch_intervals') }}
    where true {{- only_changed_sessions(plan) }}
),

orders as (
    select * from {{ ref('int_orders_enriched') }}
    where true {{- only_changed_sessions(plan, 'live_session_id') }}
),

watch_time as (
    -- the intervals are int_live_watch_intervals' (one per join, closed by the viewer's next join
    -- or leave, or the session end)
    select
        session_id,
        viewer_id,
        count(*) as join_count,
        min(interval_start_at) as first_joined_at,
        max(interval_end_at) as last_left_at,
        sum(watch_seconds) as raw_watch_seconds
    from watch_intervals
    group by session_id, viewer_id
),

viewer_keys as (
    select
        session_id,
        viewer_id,
        customer_key,
        count(*) as events
    from live_events
    where customer_key is not null
    group by session_id, viewer_id, customer_key
),

viewer_persons as (
    -- the person most of the viewer's events in the broadcast resolve to (a tie goes to the
    -- smallest key, so a rebuild always picks the same one)
    select
        session_id,
        viewer_id,
        {{ arg_min('customer_key', ['-events', 'customer_key']) }} as customer_key
    from viewer_keys
    group by session_id, viewer_id
),

activity as (
    select
        session_id,
        viewer_id,
        bool_or(identity_resolution = 'logged_in') as is_logged_in,
        {%- for event_type in enum_values('live_interaction_type') %}
            count(*) filter (where event_type = '{{ event_type }}') as {{ event_type }}s,
        {%- endfor %}
        count(*) filter (where is_interaction) as interactions,
        min(event_at_clipped) as first_event_at
    from live_events
    group by session_id, viewer_id
),

attributed_orders as (
    select
        live_session_id as session_id,
        customer_key,
        count(*) as attributed_orders,
        sum(net_usd) as attributed_net_usd
    from orders
    where live_session_id is not null and is_qualifying
    group by live_session_id, customer_key
),

final as (
    select
        activity.session_id,
        activity.viewer_id,
        viewer_persons.customer_key,
        activity.is_logged_in,
        watch_time.first_joined_at,
        watch_time.last_left_at,
        coalesce(watch_time.join_count, 0) as join_count,
        watch_time.session_id is not null as has_joined,
        cast(least(coalesce(watch_time.raw_watch_seconds, 0), live_sessions.duration_seconds) as bigint)
            as watch_seconds,
        activity.comments,
        activity.likes,
        activity.shares,
        activity.gifts,
        activity.follows,
        activity.product_clicks,
        activity.add_to_carts,
        activity.interactions,
        activity.product_clicks > 0 as has_clicked,
        activity.add_to_carts > 0 as has_added_to_cart,
        coalesce(attributed_orders.attributed_orders, 0) > 0 as has_ordered,
        coalesce(attributed_orders.attributed_orders, 0) as attributed_orders,
        cast(coalesce(attributed_orders.attributed_net_usd, 0) as decimal(18, 4)) as attributed_net_usd,
        live_sessions.started_at as session_started_at,
        {{ run_stamp() }} as _changed_at
    from activity
    inner join live_sessions
        on activity.session_id = live_sessions.session_id
    left join watch_time
        on activity.session_id = watch_time.session_id and activity.viewer_id = watch_time.viewer_id
    left join viewer_persons
        on activity.session_id = viewer_persons.session_id and activity.viewer_id = viewer_persons.viewer_id
    left join attributed_orders
        on
            activity.session_id = attributed_orders.session_id
            and viewer_persons.customer_key = attributed_orders.customer_key
)

select * from final
