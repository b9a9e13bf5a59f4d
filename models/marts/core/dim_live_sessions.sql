-- One row per accepted broadcast, with its start in the market's local time.
-- A view over int_live_sessions_localised (where the logic lives, so intermediate models can build on it without
-- reading a mart); it exposes the columns documented in _core__models.yml.
with

live_sessions as (
    select * from {{ ref('int_live_sessions_localised') }}
),

final as (
    select
        {{ contract_column_list('live_sessions') }}
    from live_sessions
)

select * from final
