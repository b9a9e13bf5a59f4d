-- The monthly all-markets, all-channels rows of rpt_period_kpis repeat rpt_repeat_buyer_rate
-- (buyers, repeat buyers, the rate, orders, purchase days, net USD) for every month of it.
-- Returns every month where they differ or that one of them lacks.
with

period_kpis as (
    select * from {{ ref('rpt_period_kpis') }}
    where period_type = 'month' and market_country_code = 'all' and acquisition_channel = 'all'
),

repeat_buyer_rate as (
    select * from {{ ref('rpt_repeat_buyer_rate') }}
    where period_grain = 'month'
),

compared as (
    select
        coalesce(period_kpis.period_start_date, repeat_buyer_rate.period_start_date) as period_start_date,
        period_kpis.buyers as kpi_buyers,
        repeat_buyer_rate.buyers as report_buyers,
        period_kpis.net_gmv_usd as kpi_net_usd,
        repeat_buyer_rate.net_usd as report_net_usd
    from period_kpis
    full outer join repeat_buyer_rate
        on period_kpis.period_start_date = repeat_buyer_rate.period_start_date
    where
        -- the KPI grid may start earlier (a first broadcast before the first order): empty months only
        (repeat_buyer_rate.period_start_date is null and period_kpis.buyers != 0)
        or period_kpis.period_start_date is null
        or period_kpis.buyers != repeat_buyer_rate.buyers
        or period_kpis.repeat_buyers != repeat_buyer_rate.repeat_buyers
        or period_kpis.repeat_buyer_rate is distinct from repeat_buyer_rate.repeat_buyer_rate
        or period_kpis.qualifying_orders != repeat_buyer_rate.orders
        or period_kpis.purchase_days != repeat_buyer_rate.purchase_days
        or period_kpis.net_gmv_usd != repeat_buyer_rate.net_usd
        or period_kpis.is_complete_period != repeat_buyer_rate.is_complete_period
)

select * from compared
