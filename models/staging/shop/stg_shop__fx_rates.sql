with

source as (
    select * from {{ source('shop', 'fx_rates') }}
),

parsed as (
    select
        source._raw_row_number,
        cast({{ to_utc_timestamp('source.rate_date') }} as date) as rate_date,
        upper({{ clean_text('source.currency') }}) as currency_code,
        try_cast({{ clean_text('source.usd_per_unit') }} as double) as usd_per_unit,
        {{ clean_text('source.rate_date') }} is null
        or {{ clean_text('source.currency') }} is null
        or {{ clean_text('source.usd_per_unit') }} is null as is_missing_required,
        {{ unparseable('source.rate_date', to_utc_timestamp('source.rate_date')) }} as is_unparseable_timestamp,
        {{ unparseable('source.usd_per_unit', "try_cast(" ~ clean_text('source.usd_per_unit') ~ " as double)") }}
            as is_unparseable_number,
        struct_pack(
            rate_date := source.rate_date,
            currency := source.currency,
            usd_per_unit := source.usd_per_unit
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
            when usd_per_unit <= 0 then 'out_of_range'
        end as row_defect
    from parsed
),

deduplicated as (
    select
        *,
        {{ quarantine_reason('row_defect', ['rate_date', 'currency_code']) }} as quarantine_reason
    from checked
),

final as (
    select
        rate_date,
        currency_code,
        usd_per_unit,
        quarantine_reason,
        case when quarantine_reason is not null then to_json(raw_values)::varchar end as raw_record,
        _raw_row_number
    from deduplicated
)

select * from final
