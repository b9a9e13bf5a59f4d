with

source as (
    select * from {{ source('shop', 'customer_identifiers') }}
),

erased_accounts as (
    select * from {{ ref('stg_shop__erased_accounts') }}
),

parsed as (
    select
        source._raw_row_number,
        {{ clean_text('source.customer_id') }} as customer_id,
        lower({{ clean_text('source.identifier_type') }}) as identifier_type,
        -- personal data: normalised per type, then SHA-256; the clear value never leaves staging
        case lower({{ clean_text('source.identifier_type') }})
            when 'email' then {{ sha256_hex(normalise_email('source.identifier_value')) }}
            when 'phone' then {{ sha256_hex(normalise_phone('source.identifier_value')) }}
            else {{ sha256_hex(clean_text('source.identifier_value')) }}
        end as identifier_sha256,
        {{ to_utc_timestamp('source.observed_at') }} as observed_at,
        {{ clean_text('source.customer_id') }} is null
        or {{ clean_text('source.identifier_type') }} is null
        or {{ clean_text('source.identifier_value') }} is null as is_missing_required,
        {{ unparseable('source.observed_at', to_utc_timestamp('source.observed_at')) }} as is_unparseable_timestamp,
        coalesce({{ clean_text('source.customer_id') }} in (select erased_accounts.customer_id from erased_accounts), false) as is_erased,
        struct_pack(
            customer_id := source.customer_id,
            identifier_type := source.identifier_type,
            identifier_sha256 := {{ sha256_hex(clean_text('source.identifier_value')) }},
            observed_at := source.observed_at
        ) as raw_values
    from source
),

checked as (
    select
        *,
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_timestamp then 'unparseable_timestamp'
            when identifier_type not in ('email', 'phone', 'payment', 'social', 'device') then 'invalid_value'
            when identifier_sha256 is null then 'missing_required'
            when observed_at > {{ future_cutoff() }} then 'future_timestamp'
        end as quarantine_reason
    from parsed
    where not is_erased
),

final as (
    select
        customer_id,
        identifier_type,
        identifier_sha256,
        observed_at,
        quarantine_reason,
        case when quarantine_reason is not null then to_json(raw_values)::varchar end as raw_record,
        _raw_row_number
    from checked
),

{{ select_with_erased_rows() }}
