{%- set source_relation = source('shop', 'live_events') -%}
{%- set types = raw_column_types(source_relation) -%}
-- One row per raw live event, typed, own defects flagged. An append-only log: the validation
-- layer reads only the rows after the ones it has already loaded (int_live_events_validated).
with

source as (
    select * from {{ source_relation }}
),

parsed as (
    select
        _raw_row_number,
        {{ raw_value('event_id', 'text', types) }} as event_id,
        {{ raw_value('session_id', 'text', types) }} as session_id,
        {{ raw_value('viewer_id', 'text', types) }} as viewer_id,
        {{ raw_value('customer_id', 'text', types) }} as customer_id,
        lower({{ raw_value('event_type', 'text', types) }}) as event_type,
        {{ raw_value('event_at', 'timestamp', types) }} as event_at,
        {{ raw_value('product_id', 'text', types) }} as product_id,
        {{ raw_value('amount', 'decimal', types) }} as amount,
        upper({{ raw_value('currency', 'text', types) }}) as currency_code,
        {{ raw_missing_required('live_events', types) }} as is_missing_required,
        {{ after_observation_end(raw_value('event_at', 'timestamp', types)) }} as is_after_observation_end,
        {{ raw_unparseable('event_at', 'timestamp', types) }} as is_unparseable_timestamp,
        {{ raw_unparseable('amount', 'decimal', types) }} as is_unparseable_number,
        {{ raw_columns_kept('live_events') }}
    from source
),

flagged as (
    select
        *,
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_timestamp then 'unparseable_timestamp'
            when is_unparseable_number then 'unparseable_number'
            when currency_code is not null and not {{ regexp_full_match('currency_code', '[A-Z]{3}') }}
                then 'invalid_code'
            when event_type not in ({{ quoted_list(enum_values('live_event_type')) }}) then 'invalid_value'
            when amount < 0 then 'out_of_range'
            when event_at > {{ future_cutoff() }} then 'future_timestamp'
        end as row_defect
    from parsed
),

final as (
    select
        _raw_row_number,
        event_id,
        session_id,
        viewer_id,
        customer_id,
        event_type,
        event_at,
        product_id,
        amount,
        currency_code,
        row_defect,
        is_after_observation_end,
        case when row_defect is not null then {{ raw_record_values('live_events', types) }} end as raw_record
    from flagged
)

select * from final
