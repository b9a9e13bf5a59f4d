-- Daily USD rates: the shop's own fx_rates file, and the shipped default rates (ECB reference
-- rates crossed to USD, and central-bank pegs) for every currency the file does not cover (a
-- currency present in the file replaces the default rates for that currency entirely, so the
-- two series are never mixed). rate_source says where each rate comes from: shop_file,
-- ecb_reference or peg.
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
        'shop_file' as rate_source
    from shop_rates

    union all

    select
        default_rates.rate_date,
        default_rates.currency as currency_code,
        default_rates.usd_per_unit,
        default_rates.rate_source
    from default_rates
    where default_rates.currency not in (select shop_currencies.currency_code from shop_currencies)
)

select * from combined
