-- The live figures of rpt_period_kpis (channel 'all') are the broadcasts of
-- fct_live_session_performance by local start month and market: broadcasts, viewers, buyers
-- and net GMV summed, for every market and for all markets. Returns every difference.
with

period_kpis as (
    select * from {{ ref('rpt_period_kpis') }}
    where period_type = 'month' and acquisition_channel = 'all'
),

session_performance as (
    select * from {{ ref('fct_live_session_performance') }}
),

session_months as (
    select
        start_month_local as period_start_date,
        market_country_code,
        count(*) as broadcasts,
        sum(viewers) as viewers,
        sum(buyers) as buyers,
        sum(gmv_net_usd) as gmv_net_usd
    from session_performance
    group by start_month_local, market_country_code
    union all
    select
        start_month_local as period_start_date,
        'all' as market_country_code,
        count(*) as broadcasts,
        sum(viewers) as viewers,
        sum(buyers) as buyers,
        sum(gmv_net_usd) as gmv_net_usd
    from session_performance
    group by start_month_local
),

compared as (
    select
        session_months.period_start_date,
        session_months.market_country_code,
        session_months.broadcasts,
        period_kpis.broadcasts as kpi_broadcasts,
        session_months.gmv_net_usd,
        period_kpis.live_gmv_net_usd as kpi_gmv_net_usd
    from session_months
    left join period_kpis
        on
            session_months.period_start_date = period_kpis.period_start_date
            and session_months.market_country_code = period_kpis.market_country_code
    where
        period_kpis.broadcasts is distinct from session_months.broadcasts
        or period_kpis.live_viewers is distinct from session_months.viewers
        or period_kpis.live_buyers is distinct from session_months.buyers
        or period_kpis.live_gmv_net_usd is distinct from session_months.gmv_net_usd
)

select * from compared
