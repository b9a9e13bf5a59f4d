{%- set source_relation = source('shop', 'fx_rates') -%}
{%- set types = raw_column_types(source_relation) -%}
-- One row per raw exchange rate of the shop's own file, typed, own defects flagged.
with

source as (
    select * from {{ source_relation }}
),

parsed as (
    select
        _raw_row_number,
        {{ raw_value('rate_date', 'date', types) }} as rate_date,
        upper({{ raw_value('currency', 'text', types) }}) as currency_code,
        {{ raw_value('usd_per_unit', 'double', types) }} as usd_per_unit,
        {{ raw_missing_required('fx_rates', types) }} as is_missing_required,
        {{ after_observation_end(raw_value('rate_date', 'date', types)) }} as is_after_observation_end,
        {{ raw_unparseable('rate_date', 'date', types) }} as is_unparseable_timestamp,
        {{ raw_unparseable('usd_per_unit', 'double', types) }} as is_unparseable_number,
        {{ raw_columns_kept('fx_rates') }}
    from source
),

flagged as (
    select
        *,
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_timestamp then 'unparseable_timestamp'
            when is_unparseable_number then 'unparseable_number'
            when not {{ regexp_full_match('currency_code', '[A-Z]{3}') }} then 'invalid_code'
            when usd_per_unit <= 0 then 'out_of_range'
        end as row_defect
    from parsed
),

final as (
    select
        _raw_row_number,
        rate_date,
        currency_code,
        usd_per_unit,
        row_defect,
        is_after_observation_end,
        case when row_defect is not null then {{ raw_record_values('fx_rates', types) }} end as raw_record
    from flagged
)

select * from final
