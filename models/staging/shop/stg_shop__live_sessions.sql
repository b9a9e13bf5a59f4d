with

source as (
    select * from {{ source('shop', 'live_sessions') }}
),

parsed as (
    select
        source._raw_row_number,
        {{ clean_text('source.session_id') }} as session_id,
        {{ clean_text('source.host_id') }} as host_id,
        {{ to_utc_timestamp('source.started_at') }} as started_at,
        {{ to_utc_timestamp('source.ended_at') }} as ended_at,
        {{ normalise_country_code('source.market_country_code') }} as market_country_code,
        {{ language_subtag('source.language') }} as language_code,
        case
            when lower({{ clean_text('source.platform') }}) in ('own_app', 'tiktok', 'youtube', 'facebook', 'instagram', 'other')
                then lower({{ clean_text('source.platform') }})
            when {{ clean_text('source.platform') }} is null then 'unknown'
            else 'other'
        end as platform,
        {{ to_utc_timestamp('source.scheduled_start_at') }} as scheduled_start_at,
        {{ clean_text('source.session_id') }} is null
        or {{ clean_text('source.host_id') }} is null
        or {{ clean_text('source.started_at') }} is null
        or {{ clean_text('source.ended_at') }} is null as is_missing_required,
        {{ unparseable('source.started_at', to_utc_timestamp('source.started_at')) }}
        or {{ unparseable('source.ended_at', to_utc_timestamp('source.ended_at')) }}
        or {{ unparseable('source.scheduled_start_at', to_utc_timestamp('source.scheduled_start_at')) }}
            as is_unparseable_timestamp,
        struct_pack(
            session_id := source.session_id,
            host_id := source.host_id,
            started_at := source.started_at,
            ended_at := source.ended_at,
            market_country_code := source.market_country_code,
            language := source.language,
            platform := source.platform,
            scheduled_start_at := source.scheduled_start_at
        ) as raw_values
    from source
),

checked as (
    select
        *,
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_timestamp then 'unparseable_timestamp'
            when ended_at < started_at then 'end_before_start'
            when ended_at > {{ future_cutoff() }} then 'future_timestamp'
        end as row_defect
    from parsed
),

deduplicated as (
    select
        *,
        {{ quarantine_reason('row_defect', ['session_id']) }} as quarantine_reason
    from checked
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
        case when quarantine_reason is not null then to_json(raw_values)::varchar end as raw_record,
        _raw_row_number
    from deduplicated
)

select * from final
