-- One row per accepted live event, resolved to a person where known, clipped to its session.
-- A view over int_live_events_resolved (where the logic lives, so intermediate models can build on it without
-- reading a mart); it exposes the columns documented in _core__models.yml.
with

live_events as (
    select * from {{ ref('int_live_events_resolved') }}
    where not _is_deleted
),

final as (
    select
        {{ contract_column_list('live_events') }}
    from live_events
)

select * from final
