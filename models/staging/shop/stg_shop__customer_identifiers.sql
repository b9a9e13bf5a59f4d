{%- set source_relation = source('shop', 'customer_identifiers') -%}
{%- set types = raw_column_types(source_relation) -%}
-- One row per raw identifier row. The identifier value is personal data: normalised per type
-- (email lower-cased, phone as E.164 digits) and SHA-256 hashed; the clear value is not kept.
with

source as (
    select * from {{ source_relation }}
),

parsed as (
    select
        _raw_row_number,
        {{ raw_value('customer_id', 'text', types) }} as customer_id,
        lower({{ raw_value('identifier_type', 'text', types) }}) as identifier_type,
        case lower({{ raw_value('identifier_type', 'text', types) }})
            when 'email' then {{ sha256_hex(normalise_email(raw_value('identifier_value', 'text', types))) }}
            when 'phone' then {{ sha256_hex(normalise_phone(raw_value('identifier_value', 'text', types))) }}
            else {{ sha256_hex(raw_value('identifier_value', 'text', types)) }}
        end as identifier_sha256,
        {{ raw_value('observed_at', 'timestamp', types) }} as observed_at,
        {{ raw_missing_required('customer_identifiers', types) }} as is_missing_required,
        {{ after_observation_end(raw_value('observed_at', 'timestamp', types)) }} as is_after_observation_end,
        {{ raw_unparseable('observed_at', 'timestamp', types) }} as is_unparseable_timestamp,
        {{ raw_columns_kept('customer_identifiers') }}
    from source
),

flagged as (
    select
        *,
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_timestamp then 'unparseable_timestamp'
            when identifier_type not in ({{ quoted_list(enum_values('identifier_type')) }}) then 'invalid_value'
            when identifier_sha256 is null then 'missing_required'
            when observed_at > {{ future_cutoff() }} then 'future_timestamp'
        end as row_defect
    from parsed
),

final as (
    select
        _raw_row_number,
        customer_id,
        identifier_type,
        identifier_sha256,
        observed_at,
        row_defect,
        is_after_observation_end,
        case when row_defect is not null then {{ raw_record_values('customer_identifiers', types) }} end as raw_record
    from flagged
)

select * from final
