{{ config(**session_keyed_incremental_config()) }}
{%- set plan = incremental_plan() -%}
-- depends_on: {{ ref('int_live_sessions_validated') }}
-- depends_on: {{ ref('int_stream_quality_samples_validated') }}
-- depends_on: {{ ref('int_orders_enriched') }}
-- One row per join event: the interval the viewer watched from that join. Events are taken at
-- their clipped time (events inside the grace margin around the session are clipped into the
-- session window upstream); a join closes at the viewer's next join or leave in the same
-- session, else at the session end; a leave without a join adds nothing. Intervals of one
-- viewer never overlap. Incremental by broadcast (changed_live_sessions).
with
{{ changed_sessions_cte(plan) }}
live_events as (
    select * from {{ ref('int_live_events_resolved') }}
    where not _is_deleted {{- only_changed_sessions(plan) }}
),

live_sessions as (
    select * from {{ ref('int_live_sessions_localised') }}
),

join_leave as (
    select
        _raw_row_number,
        event_id,
        session_id,
        viewer_id,
        customer_key,
        event_type,
        event_at_clipped,
        lead(event_at_clipped) over presence as next_event_at,
        lead(event_type) over presence as next_event_type
    from live_events
    where event_type in ('join', 'leave')
    window presence as (
        partition by session_id, viewer_id
        order by event_at_clipped, case when event_type = 'join' then 0 else 1 end, event_id
    )
),

intervals as (
    select
        join_leave.event_id as join_event_id,
        join_leave.session_id,
        join_leave.viewer_id,
        join_leave.customer_key,
        join_leave.event_at_clipped as interval_start_at,
        coalesce(join_leave.next_event_at, live_sessions.ended_at) as interval_end_at,
        coalesce(join_leave.next_event_type, 'session_end') as closed_by,
        live_sessions.started_at as session_started_at
    from join_leave
    inner join live_sessions
        on join_leave.session_id = live_sessions.session_id
    where join_leave.event_type = 'join'
),

final as (
    select
        join_event_id,
        session_id,
        viewer_id,
        customer_key,
        row_number() over (
            partition by session_id, viewer_id order by interval_start_at, join_event_id
        ) as interval_number,
        interval_start_at,
        interval_end_at,
        closed_by,
        {{ dbt.datediff('interval_start_at', 'interval_end_at', 'second') }}
            as watch_seconds,
        {{ dbt.datediff('session_started_at', 'interval_start_at', 'second') }}
            as start_offset_seconds,
        {{ dbt.datediff('session_started_at', 'interval_end_at', 'second') }}
            as end_offset_seconds,
        {{ run_stamp() }} as _changed_at
    from intervals
)

select * from final
