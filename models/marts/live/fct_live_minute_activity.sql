{{ config(**session_keyed_incremental_config()) }}
{%- set plan = incremental_plan() -%}
-- depends_on: {{ ref('int_live_events_resolved') }}
-- depends_on: {{ ref('int_live_sessions_validated') }}
-- depends_on: {{ ref('int_orders_enriched') }}
-- One row per broadcast minute (minute_index 0 = the first 60 seconds after the start; a
-- broadcast of d seconds has ceil(d / 60) minutes): the curve a host reads after the show.
-- Viewers watching come from int_live_watch_intervals (zero-length intervals ignored; a viewer
-- with no leave watches until the session end): concurrent_viewers at the minute's first instant,
-- peak_concurrent_viewers the most at any instant within the minute. Events are placed by their
-- clipped time (events inside the grace margin before the start or after the end land in the
-- first or last minute); events at the very end of a broadcast fall in its last minute. Orders
-- are the broadcast's counted orders placed during it. Latency is the median of the stream
-- quality samples taken within the broadcast window in that minute. Incremental by broadcast
-- (changed_live_sessions).
with
{{ changed_sessions_cte(plan) }}

live_sessions as (
    select * from {{ ref('dim_live_sessions') }}
    where true {{- only_changed_sessions(plan) }}
),

watch_intervals {{ not_materialized() }} (
    select * from {{ ref('int_live_watch_intervals') }}
    where watch_seconds > 0 {{- only_changed_sessions(plan) }}
),

live_events as (
    select * from {{ ref('fct_live_events') }}
    where true {{- only_changed_sessions(plan) }}
),

attributed_orders as (
    select * from {{ ref('int_live_attributed_orders') }}
    where is_counted_in_gmv and attribution_window = 'during' {{- only_changed_sessions(plan) }}
),

samples as (
    select * from {{ ref('int_stream_quality_samples_validated') }}
    where quarantine_reason is null {{- only_changed_sessions(plan) }}
),

session_minutes as (
    select
        session_id,
        started_at,
        ended_at,
        cast(ceil(duration_seconds / cast(60 as double)) as bigint) as minutes
    from live_sessions
),

minute_grid as (
    select
        session_id,
        started_at,
        minutes,
        {{ unnest_integer_range('0', 'minutes') }} as minute_index
    from session_minutes
),

viewer_changes as (
    select
        session_id,
        start_offset_seconds as offset_seconds,
        1 as viewer_change
    from watch_intervals
    union all
    select
        session_id,
        end_offset_seconds as offset_seconds,
        -1 as viewer_change
    from watch_intervals
),

changes_per_instant as (
    select
        session_id,
        offset_seconds,
        sum(viewer_change) as viewer_change
    from viewer_changes
    group by session_id, offset_seconds
),

running_viewers as (
    select
        session_id,
        offset_seconds,
        viewer_change,
        sum(viewer_change) over (
            partition by session_id order by offset_seconds rows between unbounded preceding and current row
        ) as viewers_after_change
    from changes_per_instant
),

changes_by_minute_start as (
    -- an instant at or before the start of minute m (offset <= 60 m) is in effect from minute m on
    select
        session_id,
        cast(ceil(offset_seconds / cast(60 as double)) as bigint) as minute_index,
        sum(viewer_change) as viewer_change
    from running_viewers
    group by session_id, cast(ceil(offset_seconds / cast(60 as double)) as bigint)
),

peaks_within_minute as (
    select
        session_id,
        {{ integer_divide('offset_seconds', '60') }} as minute_index,
        max(viewers_after_change) as peak_viewers
    from running_viewers
    group by session_id, {{ integer_divide('offset_seconds', '60') }}
),

events_by_minute as (
    select
        live_events.session_id,
        least(
            {{ integer_divide(
                dbt.datediff('session_minutes.started_at', 'live_events.event_at_clipped', 'second'), '60'
            ) }},
            session_minutes.minutes - 1
        ) as minute_index,
        count(*) filter (where live_events.event_type = 'join') as joins,
        count(*) filter (where live_events.event_type = 'leave') as leaves,
        count(*) filter (where live_events.is_interaction) as interactions,
        count(*) filter (where live_events.event_type = 'comment') as comments,
        count(*) filter (where live_events.event_type = 'product_click') as product_clicks
    from live_events
    inner join session_minutes
        on live_events.session_id = session_minutes.session_id
    group by all
),

orders_by_minute as (
    select
        attributed_orders.session_id,
        least(
            {{ integer_divide('attributed_orders.seconds_after_start', '60') }},
            session_minutes.minutes - 1
        ) as minute_index,
        count(*) as orders,
        sum(attributed_orders.net_usd) as gmv_net_usd
    from attributed_orders
    inner join session_minutes
        on attributed_orders.session_id = session_minutes.session_id
    group by all
),

samples_by_minute as (
    select
        samples.session_id,
        least(
            {{ integer_divide(dbt.datediff('session_minutes.started_at', 'samples.sampled_at', 'second'), '60') }},
            session_minutes.minutes - 1
        )
            as minute_index,
        count(*) as quality_samples,
        {{ quantile_cont('samples.latency_ms', 0.5) }} as median_latency_ms
    from samples
    inner join session_minutes
        on samples.session_id = session_minutes.session_id
    where samples.sampled_at between session_minutes.started_at and session_minutes.ended_at
    group by all
),

minutes_joined as (
    select
        minute_grid.session_id,
        minute_grid.minute_index,
        minute_grid.started_at + minute_grid.minute_index * interval 1 minute as minute_start_at,
        coalesce(sum(changes_by_minute_start.viewer_change) over (
            partition by minute_grid.session_id
            order by minute_grid.minute_index
            rows between unbounded preceding and current row
        ), 0) as concurrent_viewers,
        peaks_within_minute.peak_viewers,
        coalesce(events_by_minute.joins, 0) as joins,
        coalesce(events_by_minute.leaves, 0) as leaves,
        coalesce(events_by_minute.interactions, 0) as interactions,
        coalesce(events_by_minute.comments, 0) as comments,  -- noqa: RF04
        coalesce(events_by_minute.product_clicks, 0) as product_clicks,
        coalesce(orders_by_minute.orders, 0) as orders,
        coalesce(orders_by_minute.gmv_net_usd, 0) as gmv_net_usd,
        coalesce(samples_by_minute.quality_samples, 0) as quality_samples,
        samples_by_minute.median_latency_ms
    from minute_grid
    left join changes_by_minute_start
        on
            minute_grid.session_id = changes_by_minute_start.session_id
            and minute_grid.minute_index = changes_by_minute_start.minute_index
    left join peaks_within_minute
        on
            minute_grid.session_id = peaks_within_minute.session_id
            and minute_grid.minute_index = peaks_within_minute.minute_index
    left join events_by_minute
        on
            minute_grid.session_id = events_by_minute.session_id
            and minute_grid.minute_index = events_by_minute.minute_index
    left join orders_by_minute
        on
            minute_grid.session_id = orders_by_minute.session_id
            and minute_grid.minute_index = orders_by_minute.minute_index
    left join samples_by_minute
        on
            minute_grid.session_id = samples_by_minute.session_id
            and minute_grid.minute_index = samples_by_minute.minute_index
),

final as (
    select
        session_id,
        minute_index,
        minute_start_at,
        cast(concurrent_viewers as bigint) as concurrent_viewers,
        cast(greatest(concurrent_viewers, coalesce(peak_viewers, 0)) as bigint) as peak_concurrent_viewers,
        joins,
        leaves,
        interactions,
        comments,
        product_clicks,
        orders,
        cast(gmv_net_usd as decimal(18, 4)) as gmv_net_usd,
        quality_samples,
        median_latency_ms
    from minutes_joined
)

select * from final
