-- Every raw row of the shop's own fx_rates file with its final quarantine reason (null =
-- accepted); a duplicate (rate_date, currency) keeps its first valid copy.
with

fx_rates as (
    select * from {{ ref('stg_shop__fx_rates') }}
),

deduplicated as (
    select
        *,
        {{ quarantine_reason('row_defect', ['rate_date', 'currency_code']) }} as quarantine_reason
    from fx_rates
),

final as (
    select
        rate_date,
        currency_code,
        usd_per_unit,
        quarantine_reason,
        {{ raw_record_if_rejected() }} as raw_record,
        _raw_row_number
    from deduplicated
)

select * from final
