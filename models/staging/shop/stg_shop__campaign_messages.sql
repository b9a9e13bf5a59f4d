{%- set source_relation = source('shop', 'campaign_messages') -%}
{%- set types = raw_column_types(source_relation) -%}
-- One row per raw campaign message (a message sent, or a control assignment held out): typed,
-- own defects flagged. is_control reads true/false, 1/0, yes/no, t/f, y/n in any case (a
-- Parquet boolean as it is); any other value is invalid_value. A delivery, open or click dated
-- before sent_at is end_before_start; a control row (held out, never sent) with a delivery, open
-- or click is invalid_value.
with

source as (
    select * from {{ source_relation }}
),

parsed as (
    select
        _raw_row_number,
        {{ raw_value('message_id', 'text', types) }} as message_id,
        {{ raw_value('campaign_id', 'text', types) }} as campaign_id,
        {{ raw_value('customer_id', 'text', types) }} as customer_id,
        {{ raw_value('sent_at', 'timestamp', types) }} as sent_at,
        {{ raw_value('is_control', 'boolean', types) }} as is_control,
        {{ raw_value('delivered_at', 'timestamp', types) }} as delivered_at,
        {{ raw_value('opened_at', 'timestamp', types) }} as opened_at,
        {{ raw_value('clicked_at', 'timestamp', types) }} as clicked_at,
        {{ raw_missing_required('campaign_messages', types) }} as is_missing_required,
        {{ after_observation_end(raw_value('sent_at', 'timestamp', types)) }} as is_after_observation_end,
        {{ raw_unparseable('sent_at', 'timestamp', types) }}
        or {{ raw_unparseable('delivered_at', 'timestamp', types) }}
        or {{ raw_unparseable('opened_at', 'timestamp', types) }}
        or {{ raw_unparseable('clicked_at', 'timestamp', types) }} as is_unparseable_timestamp,
        {{ raw_unparseable('is_control', 'boolean', types) }} as is_invalid_flag,
        {{ raw_columns_kept('campaign_messages') }}
    from source
),

flagged as (
    select
        *,
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_timestamp then 'unparseable_timestamp'
            when is_invalid_flag then 'invalid_value'
            when delivered_at < sent_at or opened_at < sent_at or clicked_at < sent_at then 'end_before_start'
            when
                is_control
                and (delivered_at is not null or opened_at is not null or clicked_at is not null)
                then 'invalid_value'
            when sent_at > {{ future_cutoff() }} then 'future_timestamp'
        end as row_defect
    from parsed
),

final as (
    select
        _raw_row_number,
        message_id,
        campaign_id,
        customer_id,
        sent_at,
        is_control,
        delivered_at,
        opened_at,
        clicked_at,
        row_defect,
        is_after_observation_end,
        case when row_defect is not null then {{ raw_record_values('campaign_messages', types) }} end as raw_record
    from flagged
)

select * from final
