-- One row per calendar month and quarter (market-local purchase dates) from the first
-- purchase to the observation end: buyers, repeat buyers (two or more purchase days in the
-- period), the period repeat-buyer rate, purchase frequency (orders and purchase days per
-- buyer) and net USD per buyer. The period holding the observation end is flagged incomplete.
with

purchase_days as (
    select * from {{ ref('int_purchase_days_observed') }}
),

observation_end as (
    select max(as_of_date) as as_of_date from {{ ref('int_observation_end') }}
),

grains as (
    select grains.period_grain
    from (values ('month'), ('quarter')) as grains (period_grain)
),

periods as (
    select
        grains.period_grain,
        {{ unnest_date_series(
            "date_trunc(grains.period_grain, (select min(purchase_days.purchase_date) from purchase_days))",
            'date_trunc(grains.period_grain, observation_end.as_of_date)',
            "case when grains.period_grain = 'month' then interval 1 month else interval 3 month end"
        ) }} as period_start_date
    from grains
    cross join observation_end
),

buyer_periods as (
    select
        grains.period_grain,
        cast(date_trunc(grains.period_grain, purchase_days.purchase_date) as date) as period_start_date,
        purchase_days.customer_key,
        count(*) as purchase_days,
        cast(sum(purchase_days.qualifying_orders) as bigint) as orders,
        sum(purchase_days.net_usd) as net_usd
    from purchase_days
    cross join grains
    group by grains.period_grain, period_start_date, purchase_days.customer_key
),

period_totals as (
    select
        period_grain,
        period_start_date,
        count(*) as buyers,
        count(*) filter (where purchase_days >= 2) as repeat_buyers,
        cast(sum(orders) as bigint) as orders,
        cast(sum(purchase_days) as bigint) as purchase_days,
        sum(net_usd) as net_usd
    from buyer_periods
    group by period_grain, period_start_date
),

final as (
    select
        periods.period_grain,
        periods.period_start_date,
        cast(
            periods.period_start_date
            + case when periods.period_grain = 'month' then interval 1 month else interval 3 month end
            - interval 1 day
            as date
        ) as period_end_date,
        case
            when periods.period_grain = 'month' then {{ date_label('periods.period_start_date', 'month') }}
            else year(periods.period_start_date) || '-Q' || quarter(periods.period_start_date)
        end as period_label,
        periods.period_start_date
        + case when periods.period_grain = 'month' then interval 1 month else interval 3 month end
        - interval 1 day <= observation_end.as_of_date as is_complete_period,
        coalesce(period_totals.buyers, 0) as buyers,
        coalesce(period_totals.repeat_buyers, 0) as repeat_buyers,
        period_totals.repeat_buyers / nullif(period_totals.buyers, 0) as repeat_buyer_rate,
        coalesce(period_totals.orders, 0) as orders,
        coalesce(period_totals.purchase_days, 0) as purchase_days,
        period_totals.orders / nullif(period_totals.buyers, 0) as orders_per_buyer,
        period_totals.purchase_days / nullif(period_totals.buyers, 0) as purchase_days_per_buyer,
        cast(coalesce(period_totals.net_usd, 0) as decimal(18, 4)) as net_usd,
        cast(period_totals.net_usd as double) / nullif(period_totals.buyers, 0) as net_usd_per_buyer
    from periods
    cross join observation_end
    left join period_totals
        on
            periods.period_grain = period_totals.period_grain
            and periods.period_start_date = period_totals.period_start_date
)

select * from final
