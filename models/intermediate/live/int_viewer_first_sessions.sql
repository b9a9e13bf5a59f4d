-- One row per viewer (device) id: the first broadcast it took part in (earliest start, then
-- session_id), which makes a viewer "new" in that broadcast and "returning" in every later one.
with

viewer_sessions as (
    select * from {{ ref('int_viewer_sessions_aggregated') }}
),

final as (
    select
        viewer_id,
        {{ arg_min('session_id', ['session_started_at', 'session_id']) }} as first_session_id,
        min(session_started_at) as first_session_started_at
    from viewer_sessions
    group by viewer_id
)

select * from final
