-- The coverage seed describes the rate seed exactly (source, first and last date, number of
-- days per currency), and within a currency's coverage no two consecutive rate dates are more
-- than fx_max_staleness_days apart (so every day inside the coverage has a usable rate).
-- Returns every currency where either is false.
with

default_rates as (
    select * from {{ ref('fx_rates_default') }}
),

coverage as (
    select * from {{ ref('fx_rates_default_coverage') }}
),

rates_described as (
    select
        currency,
        min(rate_source) as rate_source,
        count(distinct rate_source) as rate_sources,
        min(rate_date) as first_rate_date,
        max(rate_date) as last_rate_date,
        count(*) as rate_days
    from default_rates
    group by currency
),

rate_gaps as (
    select
        currency,
        {{ dbt.datediff('lag(rate_date) over (partition by currency order by rate_date)', 'rate_date', 'day') }}
            as days_since_previous
    from default_rates
),

largest_gaps as (
    select
        currency,
        max(days_since_previous) as largest_gap_days
    from rate_gaps
    group by currency
),

compared as (
    select
        coalesce(rates_described.currency, coverage.currency) as currency,
        rates_described.rate_sources,
        largest_gaps.largest_gap_days,
        coalesce(
            rates_described.rate_source = coverage.rate_source
            and rates_described.first_rate_date = coverage.first_rate_date
            and rates_described.last_rate_date = coverage.last_rate_date
            and rates_described.rate_days = coverage.rate_days,
            false
        ) as is_described
    from rates_described
    full outer join coverage
        on rates_described.currency = coverage.currency
    left join largest_gaps
        on rates_described.currency = largest_gaps.currency
)

select * from compared
where
    not is_described
    or rate_sources != 1
    or largest_gap_days > {{ var('fx_max_staleness_days') }}
