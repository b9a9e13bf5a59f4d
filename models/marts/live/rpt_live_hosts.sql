-- One row per host and month (the calendar month of the broadcast's local start date in its
-- market) with at least one broadcast: output, audience, sales, acquisition and the 90-day
-- repurchase of the buyers the host acquired that month. Viewers, buyers and conversion add up
-- broadcasts (conversion = buyers / viewers). First-time buyers acquired = people whose first
-- qualifying order is attributed to one of the host's broadcasts of the month
-- (dim_customers.acquiring_session_id). 90-day repurchase of those buyers, by the metric
-- definition: eligible when first purchase day + 90 <= observation end (the others are
-- censored, left out of numerator and denominator and counted apart); repurchased when the
-- second purchase day falls within 90 days of the first; rate = repurchased / eligible.
{%- set repurchase_days = 90 %}
with

session_performance as (
    select * from {{ ref('fct_live_session_performance') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

observation_end as (
    select * from {{ ref('int_observation_end') }}
),

host_months as (
    select
        host_id,
        start_month_local,
        count(*) as broadcasts,
        -- exact decimal sum: the same figure whatever order the broadcasts arrive in
        sum(cast(duration_minutes as decimal(18, 2))) as minutes_live,
        sum(viewers) as viewers,
        sum(buyers) as buyers,
        sum(orders) as orders,
        sum(gmv_gross_usd) as gmv_gross_usd,
        sum(gmv_net_usd) as gmv_net_usd,
        sum(first_time_buyers_acquired) as first_time_buyers_acquired
    from session_performance
    group by host_id, start_month_local
),

acquired_buyers as (
    select
        session_performance.host_id,
        session_performance.start_month_local,
        customers.customer_key,
        customers.first_purchase_date + {{ repurchase_days }} <= observation_end.as_of_date as is_eligible,
        coalesce(
            {{ days_between('customers.first_purchase_date', 'customers.second_purchase_date') }}
            <= {{ repurchase_days }},
            false
        ) as has_repurchased
    from customers
    inner join session_performance
        on customers.acquiring_session_id = session_performance.session_id
    cross join observation_end
),

acquired_repurchase as (
    select
        host_id,
        start_month_local,
        count(*) filter (where is_eligible) as acquired_buyers_eligible_90d,
        count(*) filter (where is_eligible and has_repurchased) as acquired_buyers_repurchased_90d,
        count(*) filter (where not is_eligible) as acquired_buyers_censored_90d
    from acquired_buyers
    group by host_id, start_month_local
),

final as (
    select
        host_months.host_id,
        host_months.start_month_local,
        host_months.broadcasts,
        cast({{ decimal_ratio('host_months.minutes_live', '60', 2) }} as double) as hours_live,
        cast(host_months.viewers as bigint) as viewers,
        cast(host_months.buyers as bigint) as buyers,
        cast(host_months.orders as bigint) as orders,
        cast(host_months.gmv_gross_usd as decimal(18, 4)) as gmv_gross_usd,
        cast(host_months.gmv_net_usd as decimal(18, 4)) as gmv_net_usd,
        host_months.buyers / nullif(host_months.viewers, 0) as conversion_rate,
        cast(host_months.first_time_buyers_acquired as bigint) as first_time_buyers_acquired,
        coalesce(acquired_repurchase.acquired_buyers_eligible_90d, 0) as acquired_buyers_eligible_90d,
        coalesce(acquired_repurchase.acquired_buyers_repurchased_90d, 0) as acquired_buyers_repurchased_90d,
        coalesce(acquired_repurchase.acquired_buyers_censored_90d, 0) as acquired_buyers_censored_90d,
        acquired_repurchase.acquired_buyers_repurchased_90d
        / nullif(acquired_repurchase.acquired_buyers_eligible_90d, 0) as acquired_repurchase_rate_90d
    from host_months
    left join acquired_repurchase
        on
            host_months.host_id = acquired_repurchase.host_id
            and host_months.start_month_local = acquired_repurchase.start_month_local
)

select * from final
