{%- set source_relation = source('shop', 'live_sessions') -%}
{%- set types = raw_column_types(source_relation) -%}
-- One row per raw broadcast: typed, platform and language normalised, own defects flagged.
with

source as (
    select * from {{ source_relation }}
),

parsed as (
    select
        _raw_row_number,
        {{ raw_value('session_id', 'text', types) }} as session_id,
        {{ raw_value('host_id', 'text', types) }} as host_id,
        {{ raw_value('started_at', 'timestamp', types) }} as started_at,
        {{ raw_value('ended_at', 'timestamp', types) }} as ended_at,
        {{ normalise_country_code(raw_value('market_country_code', 'text', types)) }} as market_country_code,
        {{ language_subtag(raw_value('language', 'text', types)) }} as language_code,
        case
            when lower({{ raw_value('platform', 'text', types) }}) in ({{ quoted_list(enum_values('platform')) }})
                then lower({{ raw_value('platform', 'text', types) }})
            when {{ raw_value('platform', 'text', types) }} is null then 'unknown'
            else 'other'
        end as platform,
        {{ raw_value('scheduled_start_at', 'timestamp', types) }} as scheduled_start_at,
        {{ raw_missing_required('live_sessions', types) }} as is_missing_required,
        {{ after_observation_end(raw_value('started_at', 'timestamp', types)) }} as is_after_observation_end,
        {{ raw_unparseable('started_at', 'timestamp', types) }}
        or {{ raw_unparseable('ended_at', 'timestamp', types) }}
        or {{ raw_unparseable('scheduled_start_at', 'timestamp', types) }} as is_unparseable_timestamp,
        {{ raw_columns_kept('live_sessions') }}
    from source
),

flagged as (
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

final as (
    select
        _raw_row_number,
        session_id,
        host_id,
        started_at,
        ended_at,
        market_country_code,
        language_code,
        platform,
        scheduled_start_at,
        row_defect,
        is_after_observation_end,
        case when row_defect is not null then {{ raw_record_values('live_sessions', types) }} end as raw_record
    from flagged
)

select * from final
