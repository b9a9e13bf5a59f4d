-- A person has one market and one acquisition channel, so in every period the market rows add
-- up to the all-markets row and the channel rows to the all-channels row (buyers, first-time
-- and repeat buyers, orders, net GMV), and the live figures of the markets add up likewise.
-- Returns every period and cut where they do not.
with

period_kpis as (
    select * from {{ ref('rpt_period_kpis') }}
),

totals as (
    select * from period_kpis
    where market_country_code = 'all' and acquisition_channel = 'all'
),

cut_sums as (
    select
        period_type,
        period_start_date,
        case when market_country_code != 'all' then 'market' else 'channel' end as cut,
        sum(buyers) as buyers,
        sum(first_time_buyers) as first_time_buyers,
        sum(repeat_buyers) as repeat_buyers,
        sum(qualifying_orders) as qualifying_orders,
        sum(net_gmv_usd) as net_gmv_usd,
        sum(live_viewers) as live_viewers,
        sum(live_gmv_net_usd) as live_gmv_net_usd
    from period_kpis
    where (market_country_code = 'all') != (acquisition_channel = 'all')
    group by period_type, period_start_date, cut
),

compared as (
    select
        cut_sums.period_type,
        cut_sums.period_start_date,
        cut_sums.cut,
        cut_sums.net_gmv_usd,
        totals.net_gmv_usd as total_net_gmv_usd
    from cut_sums
    inner join totals
        on
            cut_sums.period_type = totals.period_type
            and cut_sums.period_start_date = totals.period_start_date
    where
        cut_sums.buyers != totals.buyers
        or cut_sums.first_time_buyers != totals.first_time_buyers
        or cut_sums.repeat_buyers != totals.repeat_buyers
        or cut_sums.qualifying_orders != totals.qualifying_orders
        or cut_sums.net_gmv_usd != totals.net_gmv_usd
        or (cut_sums.cut = 'market' and cut_sums.live_viewers != totals.live_viewers)
        or (cut_sums.cut = 'market' and cut_sums.live_gmv_net_usd != totals.live_gmv_net_usd)
)

select * from compared
