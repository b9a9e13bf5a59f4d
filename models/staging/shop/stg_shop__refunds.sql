{%- set source_relation = source('shop', 'refunds') -%}
{%- set types = raw_column_types(source_relation) -%}
-- One row per raw refund, typed, own defects flagged.
with

source as (
    select * from {{ source_relation }}
),

parsed as (
    select
        _raw_row_number,
        {{ raw_value('refund_id', 'text', types) }} as refund_id,
        {{ raw_value('order_id', 'text', types) }} as order_id,
        {{ raw_value('refunded_at', 'timestamp', types) }} as refunded_at,
        {{ raw_value('amount', 'decimal', types) }} as refund_amount,
        {{ raw_missing_required('refunds', types) }} as is_missing_required,
        {{ after_observation_end(raw_value('refunded_at', 'timestamp', types)) }} as is_after_observation_end,
        {{ raw_unparseable('refunded_at', 'timestamp', types) }} as is_unparseable_timestamp,
        {{ raw_unparseable('amount', 'decimal', types) }} as is_unparseable_number,
        {{ raw_columns_kept('refunds') }}
    from source
),

flagged as (
    select
        *,
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_timestamp then 'unparseable_timestamp'
            when is_unparseable_number then 'unparseable_number'
            when refund_amount <= 0 then 'out_of_range'
            when refunded_at > {{ future_cutoff() }} then 'future_timestamp'
        end as row_defect
    from parsed
),

final as (
    select
        _raw_row_number,
        refund_id,
        order_id,
        refunded_at,
        refund_amount,
        row_defect,
        is_after_observation_end,
        case when row_defect is not null then {{ raw_record_values('refunds', types) }} end as raw_record
    from flagged
)

select * from final
