-- Every raw broadcast with its final quarantine reason (null = accepted); a duplicate
-- session_id keeps its first valid copy. _changed_at tells the incremental live models which
-- broadcasts changed since they last ran (int_live_events_validated re-checks their events).
{%- set columns = ['session_id', 'host_id', 'started_at', 'ended_at', 'market_country_code', 'language_code',
    'platform', 'scheduled_start_at'] %}
with

live_sessions {{ not_materialized() }} (
    select
        *,
        false as is_erased
    from {{ ref('stg_shop__live_sessions') }}
    where is_after_observation_end is not true
),

{{ duplicate_key_ctes('live_sessions', ['session_id']) }},

checked as (
    select
        live_sessions.*,
        {{ duplicate_key_reason('live_sessions') }} as quarantine_reason
    from live_sessions
    left join first_valid_copies
        on live_sessions.session_id = first_valid_copies.session_id
),

final as (
    select
        {{ unless_erased('checked', columns) }},
        checked.quarantine_reason,
        {{ rejected_row_record('checked', columns) }} as raw_record,
        checked._raw_row_number
    from checked
),

{{ change_stamped('final', ['_raw_row_number'], [
    'session_id', 'host_id', 'started_at', 'ended_at', 'market_country_code', 'language_code', 'platform',
    'scheduled_start_at', 'quarantine_reason'
]) }}

select * from change_stamped
