-- One row per viewer per broadcast: watch time, interactions and attributed orders.
-- A view over int_viewer_sessions_aggregated (where the logic lives, so intermediate models can
-- build on it without reading a mart) and int_viewer_first_sessions; it exposes the columns
-- documented in _core__models.yml.
with

viewer_sessions as (
    select * from {{ ref('int_viewer_sessions_aggregated') }}
),

first_sessions as (
    select * from {{ ref('int_viewer_first_sessions') }}
),

flagged as (
    select
        viewer_sessions.*,
        viewer_sessions.session_id = first_sessions.first_session_id as is_first_session_for_viewer
    from viewer_sessions
    inner join first_sessions
        on viewer_sessions.viewer_id = first_sessions.viewer_id
),

final as (
    select
        {{ contract_column_list('flagged') }}
    from flagged
)

select * from final
