-- Right-to-erasure requests, for audit only: the account ids themselves are never stored
-- (erasure is applied from the ephemeral stg_shop__erased_accounts).
with

source as (
    select * from {{ source('shop', 'deletion_requests') }}
),

parsed as (
    select
        source._raw_row_number,
        {{ to_utc_timestamp('source.requested_at') }} as requested_at,
        {{ clean_text('source.customer_id') }} is null or {{ clean_text('source.requested_at') }} is null
            as is_missing_required,
        {{ unparseable('source.requested_at', to_utc_timestamp('source.requested_at')) }} as is_unparseable_timestamp,
        struct_pack(
            requested_at := source.requested_at
        ) as raw_values
    from source
),

checked as (
    select
        *,
        -- a request with a missing or unparseable timestamp is quarantined here but still
        -- honoured: erasure only needs the account id
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_timestamp then 'unparseable_timestamp'
        end as quarantine_reason
    from parsed
),

final as (
    select
        requested_at,
        quarantine_reason,
        case when quarantine_reason is not null then to_json(raw_values)::varchar end as raw_record,
        _raw_row_number
    from checked
)

select * from final
