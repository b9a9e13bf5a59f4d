-- The weekly all-markets, all-channels rows of rpt_period_kpis agree with rpt_segment_summary,
-- whose lifecycle stages partition the people of every week: buyers, repeat buyers, qualifying
-- orders and net USD of a week, summed over the stages. Returns every week where they differ.
with

period_kpis as (
    select * from {{ ref('rpt_period_kpis') }}
    where period_type = 'week' and market_country_code = 'all' and acquisition_channel = 'all'
),

segment_summary as (
    select * from {{ ref('rpt_segment_summary') }}
    where period_type = 'week' and segment_type = 'lifecycle_stage'
),

segment_weeks as (
    select
        period_start_date,
        sum(buyers) as buyers,
        sum(repeat_buyers) as repeat_buyers,
        sum(qualifying_orders) as qualifying_orders,
        sum(net_usd) as net_usd
    from segment_summary
    group by period_start_date
),

compared as (
    select
        period_kpis.period_start_date,
        period_kpis.buyers as kpi_buyers,
        segment_weeks.buyers as segment_buyers,
        period_kpis.net_gmv_usd as kpi_net_usd,
        segment_weeks.net_usd as segment_net_usd
    from period_kpis
    left join segment_weeks
        on period_kpis.period_start_date = segment_weeks.period_start_date
    where
        period_kpis.buyers != coalesce(segment_weeks.buyers, 0)
        or period_kpis.repeat_buyers != coalesce(segment_weeks.repeat_buyers, 0)
        or period_kpis.qualifying_orders != coalesce(segment_weeks.qualifying_orders, 0)
        or period_kpis.net_gmv_usd != coalesce(segment_weeks.net_usd, 0)
)

select * from compared
