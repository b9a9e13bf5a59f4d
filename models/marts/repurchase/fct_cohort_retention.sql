-- The retention matrix: one row per monthly acquisition cohort and month offset k (0 = the
-- first purchase month) up to the observation end's month. Share of the cohort with a purchase
-- day in month k, and net USD per cohort member, cumulative from month 0. A month that has not
-- fully passed by the observation end is incomplete: its shares are null (is_complete false),
-- never a partial figure; its counts are those observed so far.
with

buyers as (
    select * from {{ ref('int_buyers_profiled') }}
),

purchase_days as (
    select * from {{ ref('int_purchase_days_observed') }}
),

observation_end as (
    select max(as_of_date) as as_of_date from {{ ref('int_observation_end') }}
),

cohorts as (
    select
        cohort_month,
        count(*) as cohort_size
    from buyers
    group by cohort_month
),

months as (
    select
        {{ unnest_date_series(
            '(select min(cohorts.cohort_month) from cohorts)',
            "cast(date_trunc('month', observation_end.as_of_date) as date)",
            'interval 1 month'
        ) }} as activity_month
    from observation_end
),

cohort_months as (
    select
        cohorts.cohort_month,
        cohorts.cohort_size,
        months.activity_month,
        {{ dbt.datediff('cohorts.cohort_month', 'months.activity_month', 'month') }}
            as months_since_first_purchase,
        last_day(months.activity_month) <= observation_end.as_of_date as is_complete
    from cohorts
    inner join months
        on cohorts.cohort_month <= months.activity_month
    cross join observation_end
),

activity as (
    select
        buyers.cohort_month,
        cast(date_trunc('month', purchase_days.purchase_date) as date) as activity_month,
        count(distinct purchase_days.customer_key) as active_buyers,
        sum(purchase_days.qualifying_orders) as orders,
        sum(purchase_days.net_usd) as net_usd
    from purchase_days
    inner join buyers
        on purchase_days.customer_key = buyers.customer_key
    group by buyers.cohort_month, cast(date_trunc('month', purchase_days.purchase_date) as date)
),

matrix as (
    select
        cohort_months.cohort_month,
        cohort_months.months_since_first_purchase,
        cohort_months.activity_month,
        cohort_months.is_complete,
        cohort_months.cohort_size,
        coalesce(activity.active_buyers, 0) as active_buyers,
        coalesce(activity.orders, 0) as orders,
        coalesce(activity.net_usd, 0) as net_usd,
        sum(coalesce(activity.net_usd, 0)) over (
            partition by cohort_months.cohort_month order by cohort_months.activity_month
            rows between unbounded preceding and current row
        ) as cumulative_net_usd
    from cohort_months
    left join activity
        on
            cohort_months.cohort_month = activity.cohort_month
            and cohort_months.activity_month = activity.activity_month
),

final as (
    select
        cohort_month,
        cast(months_since_first_purchase as integer) as months_since_first_purchase,
        activity_month,
        is_complete,
        cohort_size,
        active_buyers,
        case when is_complete then active_buyers / cohort_size end as retention_rate,
        cast(orders as bigint) as orders,
        cast(net_usd as decimal(18, 4)) as net_usd,
        cast(cumulative_net_usd as decimal(18, 4)) as cumulative_net_usd,
        case when is_complete then cast(cumulative_net_usd as double) / cohort_size end
            as cumulative_net_usd_per_customer
    from matrix
)

select * from final
