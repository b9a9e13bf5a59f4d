{%- set source_relation = source('shop', 'stream_quality') -%}
{%- set types = raw_column_types(source_relation) -%}
-- One row per raw stream-quality sample, typed, own defects flagged. An append-only log, like
-- live_events.
with

source as (
    select * from {{ source_relation }}
),

parsed as (
    select
        _raw_row_number,
        {{ raw_value('session_id', 'text', types) }} as session_id,
        {{ raw_value('sampled_at', 'timestamp', types) }} as sampled_at,
        {{ raw_value('viewer_id', 'text', types) }} as viewer_id,
        case
            when {{ raw_value('country_code', 'text', types) }} is not null
                then {{ normalise_country_code(raw_value('country_code', 'text', types)) }}
        end as country_code,
        {{ raw_value('latency_ms', 'double', types) }} as latency_ms,
        {{ raw_value('freeze_ms', 'double', types) }} as freeze_ms,
        {{ raw_value('interval_ms', 'double', types) }} as interval_ms,
        {{ raw_missing_required('stream_quality', types) }} as is_missing_required,
        {{ after_observation_end(raw_value('sampled_at', 'timestamp', types)) }} as is_after_observation_end,
        {{ raw_unparseable('sampled_at', 'timestamp', types) }} as is_unparseable_timestamp,
        {{ raw_unparseable('latency_ms', 'double', types) }}
        or {{ raw_unparseable('freeze_ms', 'double', types) }}
        or {{ raw_unparseable('interval_ms', 'double', types) }} as is_unparseable_number,
        {{ raw_columns_kept('stream_quality') }}
    from source
),

flagged as (
    select
        *,
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_timestamp then 'unparseable_timestamp'
            when is_unparseable_number then 'unparseable_number'
            when latency_ms < 0 or freeze_ms < 0 or interval_ms <= 0 or freeze_ms > interval_ms then 'out_of_range'
            when sampled_at > {{ future_cutoff() }} then 'future_timestamp'
        end as row_defect
    from parsed
),

final as (
    select
        _raw_row_number,
        session_id,
        sampled_at,
        viewer_id,
        country_code,
        latency_ms,
        freeze_ms,
        interval_ms,
        row_defect,
        is_after_observation_end,
        case when row_defect is not null then {{ raw_record_values('stream_quality', types) }} end as raw_record
    from flagged
)

select * from final
