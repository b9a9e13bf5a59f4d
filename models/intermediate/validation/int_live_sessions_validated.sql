-- Every raw broadcast with its final quarantine reason (null = accepted); a duplicate
-- session_id keeps its first valid copy. _changed_at tells the incremental live models which
-- broadcasts changed since they last ran (int_live_events_validated re-checks their events).
with

live_sessions as (
    select * from {{ ref('stg_shop__live_sessions') }}
),

deduplicated as (
    select
        *,
        {{ quarantine_reason('row_defect', ['session_id']) }} as quarantine_reason
    from live_sessions
),

final as (
    select
        session_id,
        host_id,
        started_at,
        ended_at,
        market_country_code,
        language_code,
        platform,
        scheduled_start_at,
        quarantine_reason,
        {{ raw_record_if_rejected() }} as raw_record,
        _raw_row_number
    from deduplicated
),

{{ change_stamped('final', ['_raw_row_number'], [
    'session_id', 'host_id', 'started_at', 'ended_at', 'market_country_code', 'language_code', 'platform',
    'scheduled_start_at', 'quarantine_reason'
]) }}

select * from change_stamped
