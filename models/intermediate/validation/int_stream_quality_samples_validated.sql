{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='_raw_row_number',
    on_schema_change='append_new_columns',
    append_only_log='stg_shop__stream_quality',
    append_only_log_key='session_id',
    pre_hook="{{ incremental_reset() }}",
    post_hook="{{ record_incremental_state() }}"
) }}
{%- set plan = incremental_plan() -%}
-- Every raw stream-quality sample with its final quarantine reason (null = accepted): its
-- session must exist and be accepted. Samples of a device an erased account logged in on
-- become count-only rows (keeping only their position and session).
--
-- Incremental like int_live_events_validated: stream_quality is an append-only log; a run
-- validates the rows after the last stored position and re-validates stored rows whose session
-- status changed or whose device was erased.
with

{%- if not plan.full %}

previous as (
    select * from {{ this }}
),

stored_extent as (
    select coalesce(max(_raw_row_number), 0) as last_position
    from previous
),
{%- endif %}

erased_viewers as (
    select * from {{ ref('int_erased_viewers') }}
),

live_sessions as (
    select * from {{ ref('int_live_sessions_validated') }}
),

session_status as (
    select
        session_id,
        bool_or(quarantine_reason is null) as has_accepted_row
    from live_sessions
    where session_id is not null
    group by session_id
),
{%- if not plan.full %}

recheck_positions as (
    select previous._raw_row_number
    from previous
    left join session_status
        on previous.session_id = session_status.session_id
    left join erased_viewers
        on previous.viewer_id = erased_viewers.viewer_id
    where
        previous.quarantine_reason in ('unknown_session', 'parent_quarantined')
        or (
            previous.quarantine_reason is null
            and (erased_viewers.viewer_id is not null or not coalesce(session_status.has_accepted_row, false))
        )
),

samples as (
    select staged.*
    from {{ ref('stg_shop__stream_quality') }} as staged
    cross join stored_extent
    left join recheck_positions
        on staged._raw_row_number = recheck_positions._raw_row_number
    where staged._raw_row_number > stored_extent.last_position or recheck_positions._raw_row_number is not null
),
{%- else %}

samples as (
    select * from {{ ref('stg_shop__stream_quality') }}
),
{%- endif %}

erasure_checked as (
    select
        samples.*,
        erased_viewers.viewer_id is not null as is_erased
    from samples
    left join erased_viewers
        on samples.viewer_id = erased_viewers.viewer_id
),

checked as (
    select
        erasure_checked.*,
        coalesce(
            erasure_checked.row_defect,
            case
                when session_status.session_id is null then 'unknown_session'
                when not session_status.has_accepted_row then 'parent_quarantined'
            end
        ) as quarantine_reason
    from erasure_checked
    left join session_status
        on erasure_checked.session_id = session_status.session_id
    where not erasure_checked.is_erased
),

kept as (
    select
        session_id,
        sampled_at,
        viewer_id,
        country_code,
        latency_ms,
        freeze_ms,
        interval_ms,
        quarantine_reason,
        {{ raw_record_if_rejected() }} as raw_record,
        _raw_row_number
    from checked
),

erased as (
    select
        _raw_row_number,
        session_id,
        'erased' as quarantine_reason
    from erasure_checked
    where is_erased
),

final as (
    select
        *,
        {{ run_stamp() }} as _changed_at
    from (
        select * from kept
        union all by name
        select * from erased
    )
)

select * from final
