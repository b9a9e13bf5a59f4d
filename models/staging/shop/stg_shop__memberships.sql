{%- set source_relation = source('shop', 'memberships') -%}
{%- set types = raw_column_types(source_relation) -%}
-- One row per raw membership spell: typed, own defects flagged (a spell ending before it starts,
-- a negative points balance).
with

source as (
    select * from {{ source_relation }}
),

parsed as (
    select
        _raw_row_number,
        {{ raw_value('customer_id', 'text', types) }} as customer_id,
        {{ raw_value('tier', 'text', types) }} as member_tier,
        {{ raw_value('started_at', 'timestamp', types) }} as started_at,
        {{ raw_value('ended_at', 'timestamp', types) }} as ended_at,
        {{ raw_value('points_balance', 'decimal', types) }} as points_balance,
        {{ raw_missing_required('memberships', types) }} as is_missing_required,
        {{ after_observation_end(raw_value('started_at', 'timestamp', types)) }} as is_after_observation_end,
        {{ raw_unparseable('started_at', 'timestamp', types) }}
        or {{ raw_unparseable('ended_at', 'timestamp', types) }} as is_unparseable_timestamp,
        {{ raw_unparseable('points_balance', 'decimal', types) }} as is_unparseable_number,
        {{ raw_columns_kept('memberships') }}
    from source
),

flagged as (
    select
        *,
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_timestamp then 'unparseable_timestamp'
            when is_unparseable_number then 'unparseable_number'
            when points_balance < 0 then 'out_of_range'
            when ended_at < started_at then 'end_before_start'
            when started_at > {{ future_cutoff() }} then 'future_timestamp'
        end as row_defect
    from parsed
),

final as (
    select
        _raw_row_number,
        customer_id,
        member_tier,
        started_at,
        ended_at,
        points_balance,
        row_defect,
        is_after_observation_end,
        case when row_defect is not null then {{ raw_record_values('memberships', types) }} end as raw_record
    from flagged
)

select * from final
