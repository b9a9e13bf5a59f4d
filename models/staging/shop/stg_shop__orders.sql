{%- set source_relation = source('shop', 'orders') -%}
{%- set types = raw_column_types(source_relation) -%}
-- One row per raw orders row: typed, status and sales channel normalised, own defects flagged.
with

source as (
    select * from {{ source_relation }}
),

parsed as (
    select
        _raw_row_number,
        {{ raw_value('order_id', 'text', types) }} as order_id,
        {{ raw_value('customer_id', 'text', types) }} as customer_id,
        {{ raw_value('ordered_at', 'timestamp', types) }} as ordered_at,
        upper({{ raw_value('currency', 'text', types) }}) as currency_code,
        {{ raw_value('order_total', 'decimal', types) }} as order_total,
        case lower({{ raw_value('status', 'text', types) }})
            when 'canceled' then 'cancelled'
            when 'complete' then 'completed'
            when 'returned' then 'refunded'
            else coalesce(lower({{ raw_value('status', 'text', types) }}), 'completed')
        end as order_status,
        case
            when
                lower({{ raw_value('sales_channel', 'text', types) }})
                in ({{ quoted_list(enum_values('sales_channel')) }})
                then lower({{ raw_value('sales_channel', 'text', types) }})
            when {{ raw_value('sales_channel', 'text', types) }} is not null then 'other'
            when {{ raw_value('live_session_id', 'text', types) }} is not null then 'live'
            else 'unknown'
        end as sales_channel,
        {{ raw_value('live_session_id', 'text', types) }} as live_session_id,
        case
            when {{ raw_value('shipping_country_code', 'text', types) }} is not null
                then {{ normalise_country_code(raw_value('shipping_country_code', 'text', types)) }}
        end as shipping_country_code,
        {{ raw_value('delivered_at', 'timestamp', types) }} as delivered_at,
        {{ raw_missing_required('orders', types) }} as is_missing_required,
        {{ after_observation_end(raw_value('ordered_at', 'timestamp', types)) }} as is_after_observation_end,
        {{ raw_unparseable('ordered_at', 'timestamp', types) }}
        or {{ raw_unparseable('delivered_at', 'timestamp', types) }} as is_unparseable_timestamp,
        {{ raw_unparseable('order_total', 'decimal', types) }} as is_unparseable_number,
        {{ raw_columns_kept('orders') }}
    from source
),

flagged as (
    select
        *,
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_timestamp then 'unparseable_timestamp'
            when is_unparseable_number then 'unparseable_number'
            when not {{ regexp_full_match('currency_code', '[A-Z]{3}') }} then 'invalid_code'
            when order_status not in ({{ quoted_list(enum_values('order_status')) }}) then 'invalid_value'
            when order_total < 0 then 'out_of_range'
            when delivered_at < ordered_at then 'end_before_start'
            when ordered_at > {{ future_cutoff() }} or delivered_at > {{ future_cutoff() }} then 'future_timestamp'
        end as row_defect
    from parsed
),

final as (
    select
        _raw_row_number,
        order_id,
        customer_id,
        ordered_at,
        currency_code,
        order_total,
        order_status,
        sales_channel,
        live_session_id,
        shipping_country_code,
        delivered_at,
        row_defect,
        is_after_observation_end,
        case when row_defect is not null then {{ raw_record_values('orders', types) }} end as raw_record
    from flagged
)

select * from final
