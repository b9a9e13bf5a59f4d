{%- set source_relation = source('shop', 'customers') -%}
{%- set types = raw_column_types(source_relation) -%}
-- One row per raw customers row: typed, normalised, personal values hashed, own defects flagged.
with

source as (
    select * from {{ source_relation }}
),

parsed as (
    select
        _raw_row_number,
        {{ raw_value('customer_id', 'text', types) }} as customer_id,
        {{ raw_value('created_at', 'timestamp', types) }} as created_at,
        {{ normalise_country_code(raw_value('country_code', 'text', types)) }} as country_code,
        {{ raw_value('country_code', 'text', types) }} as country_code_raw,
        {{ language_subtag(raw_value('language', 'text', types)) }} as language_code,
        {{ raw_value('acquisition_channel', 'text', types) }} as acquisition_channel_raw,
        {{ sha256_hex(normalise_email(raw_value('email', 'text', types))) }} as email_sha256,
        {{ sha256_hex(normalise_phone(raw_value('phone', 'text', types))) }} as phone_sha256,
        {{ raw_missing_required('customers', types) }} as is_missing_required,
        {{ after_observation_end(raw_value('created_at', 'timestamp', types)) }} as is_after_observation_end,
        {{ raw_unparseable('created_at', 'timestamp', types) }} as is_unparseable_timestamp,
        {{ raw_columns_kept('customers') }}
    from source
),

flagged as (
    select
        *,
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_timestamp then 'unparseable_timestamp'
            when created_at > {{ future_cutoff() }} then 'future_timestamp'
        end as row_defect
    from parsed
),

final as (
    select
        _raw_row_number,
        customer_id,
        created_at,
        country_code,
        country_code_raw,
        language_code,
        acquisition_channel_raw,
        email_sha256,
        phone_sha256,
        row_defect,
        is_after_observation_end,
        case when row_defect is not null then {{ raw_record_values('customers', types) }} end as raw_record
    from flagged
)

select * from final
