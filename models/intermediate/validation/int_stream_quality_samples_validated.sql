-- Every raw stream-quality sample with its final quarantine reason (null = accepted): its
-- session must exist and be accepted. Samples of a device an erased account logged in on
-- become count-only rows.
with

samples as (
    select * from {{ ref('stg_shop__stream_quality') }}
),

erased_viewers as (
    select * from {{ ref('int_erased_viewers') }}
),

live_sessions as (
    select * from {{ ref('int_live_sessions_validated') }}
),

erasure_checked as (
    select
        samples.*,
        erased_viewers.viewer_id is not null as is_erased
    from samples
    left join erased_viewers
        on samples.viewer_id = erased_viewers.viewer_id
),

session_status as (
    select
        session_id,
        bool_or(quarantine_reason is null) as has_accepted_row
    from live_sessions
    where session_id is not null
    group by session_id
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

final as (
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

{{ select_with_erased_rows() }}
