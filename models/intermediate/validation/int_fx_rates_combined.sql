-- Daily USD rates: the shop's own fx_rates file, and the shipped default seed for every
-- currency the file does not cover (a currency present in the file replaces the seed's
-- rates for that currency entirely, so the two series are never mixed).
with

shop_rates as (
    select * from {{ ref('int_fx_rates_validated') }}
    where quarantine_reason is null
),

default_rates as (
    select * from {{ ref('fx_rates_default') }}
),

shop_currencies as (
    select distinct currency_code from shop_rates
),

combined as (
    select
        rate_date,
        currency_code,
        usd_per_unit,
        'shop' as rate_source
    from shop_rates

    union all

    select
        default_rates.rate_date,
        default_rates.currency as currency_code,
        default_rates.usd_per_unit,
        'default_seed' as rate_source
    from default_rates
    where default_rates.currency not in (select shop_currencies.currency_code from shop_currencies)
)

select * from combined
