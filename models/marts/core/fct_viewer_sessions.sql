-- One row per viewer per broadcast: watch time, interactions and attributed orders.
-- A view over int_viewer_sessions_aggregated (where the logic lives, so intermediate models can build on it without
-- reading a mart); it exposes the columns documented in _core__models.yml.
with

viewer_sessions as (
    select * from {{ ref('int_viewer_sessions_aggregated') }}
),

final as (
    select
        {{ contract_column_list('viewer_sessions') }}
    from viewer_sessions
)

select * from final
