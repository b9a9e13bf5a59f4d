with

source as (
    select * from {{ source('shop', 'orders') }}
),

erased_accounts as (
    select * from {{ ref('stg_shop__erased_accounts') }}
),

parsed as (
    select
        source._raw_row_number,
        {{ clean_text('source.order_id') }} as order_id,
        {{ clean_text('source.customer_id') }} as customer_id,
        {{ to_utc_timestamp('source.ordered_at') }} as ordered_at,
        upper({{ clean_text('source.currency') }}) as currency_code,
        {{ to_decimal('source.order_total') }} as order_total,
        case lower({{ clean_text('source.status') }})
            when 'canceled' then 'cancelled'
            when 'complete' then 'completed'
            when 'returned' then 'refunded'
            else coalesce(lower({{ clean_text('source.status') }}), 'completed')
        end as order_status,
        case
            when lower({{ clean_text('source.sales_channel') }}) in ('live', 'web', 'app', 'marketplace', 'other')
                then lower({{ clean_text('source.sales_channel') }})
            when {{ clean_text('source.sales_channel') }} is not null then 'other'
            when {{ clean_text('source.live_session_id') }} is not null then 'live'
            else 'unknown'
        end as sales_channel,
        {{ clean_text('source.live_session_id') }} as live_session_id,
        case
            when {{ clean_text('source.shipping_country_code') }} is not null
                then {{ normalise_country_code('source.shipping_country_code') }}
        end as shipping_country_code,
        {{ to_utc_timestamp('source.delivered_at') }} as delivered_at,
        {{ clean_text('source.order_id') }} is null
        or {{ clean_text('source.customer_id') }} is null
        or {{ clean_text('source.ordered_at') }} is null
        or {{ clean_text('source.currency') }} is null
        or {{ clean_text('source.order_total') }} is null as is_missing_required,
        {{ unparseable('source.ordered_at', to_utc_timestamp('source.ordered_at')) }}
        or {{ unparseable('source.delivered_at', to_utc_timestamp('source.delivered_at')) }} as is_unparseable_timestamp,
        {{ unparseable('source.order_total', to_decimal('source.order_total')) }} as is_unparseable_number,
        coalesce({{ clean_text('source.customer_id') }} in (select erased_accounts.customer_id from erased_accounts), false) as is_erased,
        struct_pack(
            order_id := source.order_id,
            customer_id := source.customer_id,
            ordered_at := source.ordered_at,
            currency := source.currency,
            order_total := source.order_total,
            status := source.status,
            sales_channel := source.sales_channel,
            live_session_id := source.live_session_id,
            shipping_country_code := source.shipping_country_code,
            delivered_at := source.delivered_at
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
            when not regexp_full_match(currency_code, '[A-Z]{3}') then 'invalid_code'
            when order_status not in (
                'placed', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'refunded'
            ) then 'invalid_value'
            when order_total < 0 then 'out_of_range'
            when delivered_at < ordered_at then 'end_before_start'
            when ordered_at > {{ future_cutoff() }} or delivered_at > {{ future_cutoff() }} then 'future_timestamp'
        end as row_defect
    from parsed
    where not is_erased
),

deduplicated as (
    select
        *,
        {{ quarantine_reason('row_defect', ['order_id']) }} as quarantine_reason
    from checked
),

final as (
    select
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
        quarantine_reason,
        case when quarantine_reason is not null then to_json(raw_values)::varchar end as raw_record,
        _raw_row_number
    from deduplicated
),

{{ select_with_erased_rows() }}
