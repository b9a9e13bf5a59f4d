{%- set source_relation = source('shop', 'campaigns') -%}
{%- set types = raw_column_types(source_relation) -%}
-- One row per raw campaign: typed, channel and objective lower-cased, own defects flagged. A
-- channel or objective outside the contract's lists is invalid_value (not mapped to other: the
-- marts read them to pick win-back and live-reminder campaigns).
with

source as (
    select * from {{ source_relation }}
),

parsed as (
    select
        _raw_row_number,
        {{ raw_value('campaign_id', 'text', types) }} as campaign_id,
        lower({{ raw_value('channel', 'text', types) }}) as channel,
        lower({{ raw_value('objective', 'text', types) }}) as objective,
        {{ raw_value('started_at', 'timestamp', types) }} as started_at,
        {{ raw_value('name', 'text', types) }} as campaign_name,
        {{ raw_value('ended_at', 'timestamp', types) }} as ended_at,
        case
            when {{ raw_value('market_country_code', 'text', types) }} is not null
                then {{ normalise_country_code(raw_value('market_country_code', 'text', types)) }}
        end as market_country_code,
        {{ raw_value('session_id', 'text', types) }} as session_id,
        {{ raw_missing_required('campaigns', types) }} as is_missing_required,
        {{ after_observation_end(raw_value('started_at', 'timestamp', types)) }} as is_after_observation_end,
        {{ raw_unparseable('started_at', 'timestamp', types) }}
        or {{ raw_unparseable('ended_at', 'timestamp', types) }} as is_unparseable_timestamp,
        {{ raw_columns_kept('campaigns') }}
    from source
),

flagged as (
    select
        *,
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_timestamp then 'unparseable_timestamp'
            when channel not in ({{ quoted_list(enum_values('campaign_channel')) }}) then 'invalid_value'
            when objective not in ({{ quoted_list(enum_values('campaign_objective')) }}) then 'invalid_value'
            when ended_at < started_at then 'end_before_start'
            when started_at > {{ future_cutoff() }} then 'future_timestamp'
        end as row_defect
    from parsed
),

final as (
    select
        _raw_row_number,
        campaign_id,
        channel,
        objective,
        started_at,
        campaign_name,
        ended_at,
        market_country_code,
        session_id,
        row_defect,
        is_after_observation_end,
        case when row_defect is not null then {{ raw_record_values('campaigns', types) }} end as raw_record
    from flagged
)

select * from final
