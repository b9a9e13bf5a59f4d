-- Every raw stream-quality sample with its final quarantine reason (null = accepted): its
-- session must exist and be accepted.
with

samples as (
    select * from {{ ref('stg_shop__stream_quality_samples') }}
),

live_sessions as (
    select * from {{ ref('stg_shop__live_sessions') }}
),

session_status as (
    select
        session_id,
        bool_or(quarantine_reason is null) as has_accepted_row
    from live_sessions
    group by session_id
),

checked as (
    select
        samples.* exclude (quarantine_reason, raw_record),
        coalesce(
            samples.quarantine_reason,
            case
                when session_status.session_id is null then 'unknown_session'
                when not session_status.has_accepted_row then 'parent_quarantined'
            end
        ) as quarantine_reason,
        samples.raw_record
    from samples
    left join session_status
        on samples.session_id = session_status.session_id
),

final as (
    select
        * exclude (raw_record),
        coalesce(
            raw_record,
            case when quarantine_reason not in ('erased') then to_json(struct_pack(
                session_id, sampled_at, viewer_id, country_code, latency_ms, freeze_ms, interval_ms
            ))::varchar end
        ) as raw_record
    from checked
)

select * from final
