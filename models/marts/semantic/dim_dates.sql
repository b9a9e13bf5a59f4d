-- One row per calendar day: the time spine MetricFlow joins to (dbt semantic layer). It runs
-- from 1 January of the year before the first qualifying order or broadcast to 31 December of
-- the year after the observation end, so every metric date and its comparisons find their day.
with

orders as (
    select * from {{ ref('fct_orders') }}
),

session_performance as (
    select * from {{ ref('fct_live_session_performance') }}
),

observation_end as (
    -- exactly one row whatever int_observation_end holds
    select max(as_of_date) as as_of_date from {{ ref('int_observation_end') }}
),

first_dates as (
    select min(order_date_local) as first_date from orders
    union all
    select min(start_date_local) as first_date from session_performance
    union all
    select as_of_date as first_date from observation_end
),

bounds as (
    select
        cast(date_trunc('year', min(first_dates.first_date)) - interval 1 year as date) as first_day,
        cast(date_trunc('year', max(observation_end.as_of_date)) + interval 2 year - interval 1 day as date)
            as last_day
    from first_dates
    cross join observation_end
),

days as (
    select {{ unnest_date_series(
            'bounds.first_day',
            'bounds.last_day',
            'interval 1 day'
        ) }} as date_day
    from bounds
),

final as (
    select
        date_day,
        cast(date_trunc('week', date_day) as date) as week_start_date,
        cast(date_trunc('month', date_day) as date) as month_start_date,
        cast(date_trunc('quarter', date_day) as date) as quarter_start_date,
        cast(date_trunc('year', date_day) as date) as year_start_date
    from days
)

select * from final
