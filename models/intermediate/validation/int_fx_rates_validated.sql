-- Every raw row of the shop's own fx_rates file with its final quarantine reason (null =
-- accepted); a duplicate (rate_date, currency) keeps its first valid copy.
{%- set columns = ['rate_date', 'currency_code', 'usd_per_unit'] %}
with

fx_rates {{ not_materialized() }} (
    select
        *,
        false as is_erased
    from {{ ref('stg_shop__fx_rates') }}
    where is_after_observation_end is not true
),

{{ duplicate_key_ctes('fx_rates', ['rate_date', 'currency_code']) }},

checked as (
    select
        fx_rates.*,
        {{ duplicate_key_reason('fx_rates') }} as quarantine_reason
    from fx_rates
    left join first_valid_copies
        on
            fx_rates.rate_date = first_valid_copies.rate_date
            and fx_rates.currency_code = first_valid_copies.currency_code
),

final as (
    select
        {{ unless_erased('checked', columns) }},
        checked.quarantine_reason,
        {{ rejected_row_record('checked', columns) }} as raw_record,
        checked._raw_row_number
    from checked
)

select * from final
