with

source as (
    select * from {{ source('shop', 'customers') }}
),

erased_accounts as (
    select * from {{ ref('stg_shop__erased_accounts') }}
),

channel_map as (
    -- a normalisation lookup (free text -> taxonomy), the one join staging allows itself
    select * from {{ ref('acquisition_channel_map') }}
),

parsed as (
    select
        source._raw_row_number,
        {{ clean_text('source.customer_id') }} as customer_id,
        {{ to_utc_timestamp('source.created_at') }} as created_at,
        {{ normalise_country_code('source.country_code') }} as country_code,
        {{ clean_text('source.country_code') }} as country_code_raw,
        {{ language_subtag('source.language') }} as language_code,
        case
            when {{ clean_text('source.acquisition_channel') }} is null then 'unknown'
            else coalesce(channel_map.acquisition_channel, 'other')
        end as acquisition_channel,
        {{ clean_text('source.acquisition_channel') }} as acquisition_channel_raw,
        {{ sha256_hex(normalise_email('source.email')) }} as email_sha256,
        {{ sha256_hex(normalise_phone('source.phone')) }} as phone_sha256,
        {{ clean_text('source.created_at') }} is null or {{ clean_text('source.customer_id') }} is null
            as is_missing_required,
        {{ unparseable('source.created_at', to_utc_timestamp('source.created_at')) }} as is_unparseable_timestamp,
        coalesce({{ clean_text('source.customer_id') }} in (select erased_accounts.customer_id from erased_accounts), false) as is_erased,
        struct_pack(
            customer_id := source.customer_id,
            created_at := source.created_at,
            country_code := source.country_code,
            language := source.language,
            acquisition_channel := source.acquisition_channel,
            email_sha256 := {{ sha256_hex(normalise_email('source.email')) }},
            phone_sha256 := {{ sha256_hex(normalise_phone('source.phone')) }}
        ) as raw_values
    from source
    left join channel_map
        on lower(trim(source.acquisition_channel)) = channel_map.raw_value
),

checked as (
    select
        *,
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_timestamp then 'unparseable_timestamp'
            when created_at > {{ future_cutoff() }} then 'future_timestamp'
        end as row_defect
    from parsed
    where not is_erased
),

deduplicated as (
    select
        *,
        {{ quarantine_reason('row_defect', ['customer_id']) }} as quarantine_reason
    from checked
),

final as (
    select
        customer_id,
        created_at,
        country_code,
        country_code_raw,
        language_code,
        acquisition_channel,
        acquisition_channel_raw,
        email_sha256,
        phone_sha256,
        quarantine_reason,
        case when quarantine_reason is not null then to_json(raw_values)::varchar end as raw_record,
        _raw_row_number
    from deduplicated
),

{{ select_with_erased_rows() }}
