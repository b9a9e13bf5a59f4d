with

source as (
    select * from {{ source('shop', 'refunds') }}
),

erased_orders as (
    select * from {{ ref('stg_shop__erased_orders') }}
),

parsed as (
    select
        source._raw_row_number,
        {{ clean_text('source.refund_id') }} as refund_id,
        {{ clean_text('source.order_id') }} as order_id,
        {{ to_utc_timestamp('source.refunded_at') }} as refunded_at,
        {{ to_decimal('source.amount') }} as refund_amount,
        {{ clean_text('source.refund_id') }} is null
        or {{ clean_text('source.order_id') }} is null
        or {{ clean_text('source.refunded_at') }} is null
        or {{ clean_text('source.amount') }} is null as is_missing_required,
        {{ unparseable('source.refunded_at', to_utc_timestamp('source.refunded_at')) }} as is_unparseable_timestamp,
        {{ unparseable('source.amount', to_decimal('source.amount')) }} as is_unparseable_number,
        coalesce({{ clean_text('source.order_id') }} in (select erased_orders.order_id from erased_orders), false) as is_erased,
        struct_pack(
            refund_id := source.refund_id,
            order_id := source.order_id,
            refunded_at := source.refunded_at,
            amount := source.amount
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
            when refund_amount <= 0 then 'out_of_range'
            when refunded_at > {{ future_cutoff() }} then 'future_timestamp'
        end as row_defect
    from parsed
    where not is_erased
),

deduplicated as (
    select
        *,
        {{ quarantine_reason('row_defect', ['refund_id']) }} as quarantine_reason
    from checked
),

final as (
    select
        refund_id,
        order_id,
        refunded_at,
        refund_amount,
        quarantine_reason,
        case when quarantine_reason is not null then to_json(raw_values)::varchar end as raw_record,
        _raw_row_number
    from deduplicated
),

{{ select_with_erased_rows() }}
