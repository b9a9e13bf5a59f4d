with

source as (
    select * from {{ source('shop', 'deletion_requests') }}
),

parsed as (
    select
        source._raw_row_number,
        {{ clean_text('source.customer_id') }} as customer_id,
        {{ to_utc_timestamp('source.requested_at') }} as requested_at,
        {{ clean_text('source.customer_id') }} is null or {{ clean_text('source.requested_at') }} is null
            as is_missing_required,
        {{ unparseable('source.requested_at', to_utc_timestamp('source.requested_at')) }} as is_unparseable_timestamp,
        struct_pack(
            customer_id := source.customer_id,
            requested_at := source.requested_at
        ) as raw_values
    from source
),

checked as (
    select
        *,
        -- a repeated request for the same account is harmless and kept: erasure is idempotent
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_timestamp then 'unparseable_timestamp'
        end as quarantine_reason
    from parsed
),

final as (
    select
        customer_id,
        requested_at,
        quarantine_reason,
        case when quarantine_reason is not null then to_json(raw_values)::varchar end as raw_record,
        _raw_row_number
    from checked
)

select * from final
