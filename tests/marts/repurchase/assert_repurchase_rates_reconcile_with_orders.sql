-- Reconciliation along an independent path: the all-cohorts N-day figures of
-- fct_cohort_repurchase recomputed straight from fct_orders (qualifying orders, market-local
-- dates, up to the observation end) with the definitions in ../shared/metric-definitions.md.
{%- set windows = repurchase_windows() %}
with

orders as (
    select * from {{ ref('fct_orders') }}
    where is_qualifying
),

observation_end as (
    select max(as_of_date) as as_of_date from {{ ref('int_observation_end') }}
),

cohorts as (
    select * from {{ ref('fct_cohort_repurchase') }}
    where cohort_grain = 'all'
),

observed_orders as (
    select
        orders.customer_key,
        orders.order_date_local
    from orders
    cross join observation_end
    where orders.order_date_local <= observation_end.as_of_date
),

first_days as (
    select
        customer_key,
        min(order_date_local) as first_purchase_date
    from observed_orders
    group by customer_key
),

windows as (
    select windows.window_days
    from {{ literal_rows(windows, 'windows', 'window_days') }}
),

per_buyer as (
    select
        first_days.customer_key,
        windows.window_days,
        first_days.first_purchase_date + windows.window_days <= observation_end.as_of_date as is_eligible,
        exists(
            select 1
            from observed_orders
            where
                observed_orders.customer_key = first_days.customer_key
                and {{ days_between('first_days.first_purchase_date', 'observed_orders.order_date_local') }} between 1 and windows.window_days
        ) as has_repurchased
    from first_days
    cross join windows
    cross join observation_end
),

recomputed as (
    select
        window_days,
        count(*) as cohort_size,
        count(*) filter (where is_eligible) as eligible_customers,
        count(*) filter (where is_eligible and has_repurchased) as repurchasers
    from per_buyer
    group by window_days
)

select
    recomputed.window_days,
    recomputed.cohort_size,
    cohorts.cohort_size as mart_cohort_size,
    recomputed.eligible_customers,
    cohorts.eligible_customers as mart_eligible_customers,
    recomputed.repurchasers,
    cohorts.repurchasers as mart_repurchasers
from recomputed
full outer join cohorts
    on recomputed.window_days = cohorts.window_days
where
    recomputed.cohort_size is distinct from cohorts.cohort_size
    or recomputed.eligible_customers is distinct from cohorts.eligible_customers
    or recomputed.repurchasers is distinct from cohorts.repurchasers
