-- Reconciliation: viewers of every broadcast equal the distinct viewer ids of its join events
-- in fct_live_events (0 for a broadcast without joins), and fct_live_session_performance has
-- exactly one row per dim_live_sessions row. Returns the broadcasts that differ.
with

live_events as (
    select * from {{ ref('fct_live_events') }}
),

live_sessions as (
    select * from {{ ref('dim_live_sessions') }}
),

session_performance as (
    select * from {{ ref('fct_live_session_performance') }}
),

join_viewers as (
    select
        session_id,
        count(distinct viewer_id) as viewers
    from live_events
    where event_type = 'join'
    group by session_id
),

compared as (
    select
        coalesce(live_sessions.session_id, session_performance.session_id) as session_id,
        coalesce(join_viewers.viewers, 0) as expected_viewers,
        session_performance.viewers as mart_viewers,
        live_sessions.session_id is not null as is_in_dim,
        session_performance.session_id is not null as is_in_mart
    from live_sessions
    full outer join session_performance
        on live_sessions.session_id = session_performance.session_id
    left join join_viewers
        on live_sessions.session_id = join_viewers.session_id
)

select * from compared
where not is_in_dim or not is_in_mart or expected_viewers != mart_viewers
