with

source as (
    select * from {{ source('shop', 'live_events') }}
),

erased_accounts as (
    select * from {{ ref('stg_shop__erased_accounts') }}
),

erased_viewers as (
    select * from {{ ref('stg_shop__erased_viewers') }}
),

parsed as (
    select
        source._raw_row_number,
        {{ clean_text('source.event_id') }} as event_id,
        {{ clean_text('source.session_id') }} as session_id,
        {{ clean_text('source.viewer_id') }} as viewer_id,
        {{ clean_text('source.customer_id') }} as customer_id,
        lower({{ clean_text('source.event_type') }}) as event_type,
        {{ to_utc_timestamp('source.event_at') }} as event_at,
        {{ clean_text('source.product_id') }} as product_id,
        {{ to_decimal('source.amount') }} as amount,
        upper({{ clean_text('source.currency') }}) as currency_code,
        {{ clean_text('source.event_id') }} is null
        or {{ clean_text('source.session_id') }} is null
        or {{ clean_text('source.viewer_id') }} is null
        or {{ clean_text('source.event_type') }} is null
        or {{ clean_text('source.event_at') }} is null as is_missing_required,
        {{ unparseable('source.event_at', to_utc_timestamp('source.event_at')) }} as is_unparseable_timestamp,
        {{ unparseable('source.amount', to_decimal('source.amount')) }} as is_unparseable_number,
        coalesce({{ clean_text('source.customer_id') }} in (select erased_accounts.customer_id from erased_accounts), false)
        or (
            {{ clean_text('source.customer_id') }} is null
            and coalesce({{ clean_text('source.viewer_id') }} in (select erased_viewers.viewer_id from erased_viewers), false)
        ) as is_erased,
        struct_pack(
            event_id := source.event_id,
            session_id := source.session_id,
            viewer_id := source.viewer_id,
            customer_id := source.customer_id,
            event_type := source.event_type,
            event_at := source.event_at,
            product_id := source.product_id,
            amount := source.amount,
            currency := source.currency
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
            when currency_code is not null and not regexp_full_match(currency_code, '[A-Z]{3}') then 'invalid_code'
            when event_type not in (
                'join', 'leave', 'comment', 'like', 'share', 'gift', 'follow', 'product_click', 'add_to_cart'
            ) then 'invalid_value'
            when amount < 0 then 'out_of_range'
            when event_at > {{ future_cutoff() }} then 'future_timestamp'
        end as row_defect
    from parsed
    where not is_erased
),

deduplicated as (
    select
        *,
        {{ quarantine_reason('row_defect', ['event_id']) }} as quarantine_reason
    from checked
),

final as (
    select
        event_id,
        session_id,
        viewer_id,
        customer_id,
        event_type,
        event_at,
        product_id,
        amount,
        currency_code,
        quarantine_reason,
        case when quarantine_reason is not null then to_json(raw_values)::varchar end as raw_record,
        _raw_row_number
    from deduplicated
),

{{ select_with_erased_rows() }}
