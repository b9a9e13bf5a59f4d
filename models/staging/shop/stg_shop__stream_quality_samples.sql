with

source as (
    select * from {{ source('shop', 'stream_quality') }}
),

erased_viewers as (
    select * from {{ ref('stg_shop__erased_viewers') }}
),

parsed as (
    select
        source._raw_row_number,
        {{ clean_text('source.session_id') }} as session_id,
        {{ to_utc_timestamp('source.sampled_at') }} as sampled_at,
        {{ clean_text('source.viewer_id') }} as viewer_id,
        case
            when {{ clean_text('source.country_code') }} is not null
                then {{ normalise_country_code('source.country_code') }}
        end as country_code,
        try_cast({{ clean_text('source.latency_ms') }} as double) as latency_ms,
        try_cast({{ clean_text('source.freeze_ms') }} as double) as freeze_ms,
        try_cast({{ clean_text('source.interval_ms') }} as double) as interval_ms,
        {{ clean_text('source.session_id') }} is null
        or {{ clean_text('source.sampled_at') }} is null
        or {{ clean_text('source.latency_ms') }} is null as is_missing_required,
        {{ unparseable('source.sampled_at', to_utc_timestamp('source.sampled_at')) }} as is_unparseable_timestamp,
        {{ unparseable('source.latency_ms', "try_cast(" ~ clean_text('source.latency_ms') ~ " as double)") }}
        or {{ unparseable('source.freeze_ms', "try_cast(" ~ clean_text('source.freeze_ms') ~ " as double)") }}
        or {{ unparseable('source.interval_ms', "try_cast(" ~ clean_text('source.interval_ms') ~ " as double)") }}
            as is_unparseable_number,
        coalesce({{ clean_text('source.viewer_id') }} in (select erased_viewers.viewer_id from erased_viewers), false) as is_erased,
        struct_pack(
            session_id := source.session_id,
            sampled_at := source.sampled_at,
            viewer_id := source.viewer_id,
            country_code := source.country_code,
            latency_ms := source.latency_ms,
            freeze_ms := source.freeze_ms,
            interval_ms := source.interval_ms
        ) as raw_values
    from source
),

checked as (
    select
        *,
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_timestamp then 'unparseable_timestamp'
            when is_unparseable_number then 'unparseable_number'
            when latency_ms < 0 or freeze_ms < 0 or interval_ms <= 0 or freeze_ms > interval_ms then 'out_of_range'
            when sampled_at > {{ future_cutoff() }} then 'future_timestamp'
        end as quarantine_reason
    from parsed
    where not is_erased
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
        case when quarantine_reason is not null then to_json(raw_values)::varchar end as raw_record,
        _raw_row_number
    from checked
),

{{ select_with_erased_rows() }}
