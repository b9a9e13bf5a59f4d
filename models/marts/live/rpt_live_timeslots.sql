-- One row per market x local start weekday x local start hour that had at least one broadcast:
-- "when should we go live for this market". A broadcast belongs to the slot of its start in the
-- market's time zone. Viewers are summed over broadcasts (a person watching two broadcasts of
-- the slot counts twice), so conversion and GPM are viewer-weighted: buyers / viewers and
-- net GMV x 1000 / viewers over all broadcasts of the slot. The hour_ columns repeat the same
-- figures for the local hour over all weekdays (weekday x hour cells are thin), with the hour's
-- rank in the market by GPM. Ranks: GPM, then conversion, then earlier weekday and hour; only
-- slots and hours with at least var('live_timeslot_min_broadcasts', 5) broadcasts are ranked
-- (null rank otherwise), so a single lucky broadcast never comes out as the best time.
{%- set min_broadcasts = var('live_timeslot_min_broadcasts', 5) %}
with

session_performance as (
    select * from {{ ref('fct_live_session_performance') }}
),

slots as (
    select
        market_country_code,
        any_value(market_region) as market_region,
        any_value(market_time_zone) as market_time_zone,
        start_weekday_local,
        any_value(start_weekday_name_local) as start_weekday_name_local,
        start_hour_local,
        count(*) as broadcasts,
        -- exact decimal sum: the same figure whatever order the broadcasts arrive in
        sum(cast(duration_minutes as decimal(18, 2))) as minutes_live,
        sum(viewers) as viewers,
        sum(buyers) as buyers,
        sum(orders) as orders,
        sum(gmv_net_usd) as gmv_net_usd
    from session_performance
    group by market_country_code, start_weekday_local, start_hour_local
),

hours as (
    select
        market_country_code,
        start_hour_local,
        sum(broadcasts) as hour_broadcasts,
        sum(viewers) as hour_viewers,
        sum(buyers) / nullif(sum(viewers), 0) as hour_conversion_rate,
        {{ decimal_ratio('sum(gmv_net_usd) * 1000', 'sum(viewers)') }} as hour_gpm_net_usd
    from slots
    group by market_country_code, start_hour_local
),

hours_ranked as (
    select
        *,
        cast(case
            when hour_broadcasts >= {{ min_broadcasts }} then
                row_number() over (
                    partition by market_country_code, hour_broadcasts >= {{ min_broadcasts }}
                    order by
                        hour_gpm_net_usd desc nulls last,
                        hour_conversion_rate desc nulls last,
                        start_hour_local asc
                )
        end as bigint) as hour_gpm_rank_in_market
    from hours
),

rated as (
    select
        slots.*,
        slots.buyers / nullif(slots.viewers, 0) as conversion_rate,
        {{ decimal_ratio('slots.gmv_net_usd * 1000', 'slots.viewers') }} as gpm_net_usd,
        hours_ranked.hour_broadcasts,
        hours_ranked.hour_viewers,
        hours_ranked.hour_conversion_rate,
        hours_ranked.hour_gpm_net_usd,
        hours_ranked.hour_gpm_rank_in_market
    from slots
    inner join hours_ranked
        on
            slots.market_country_code = hours_ranked.market_country_code
            and slots.start_hour_local = hours_ranked.start_hour_local
),

final as (
    select
        market_country_code,
        market_region,
        market_time_zone,
        start_weekday_local,
        start_weekday_name_local,
        start_hour_local,
        broadcasts,
        cast({{ decimal_ratio('minutes_live', '60', 2) }} as double) as hours_live,
        cast(viewers as bigint) as viewers,
        cast(buyers as bigint) as buyers,
        cast(orders as bigint) as orders,
        cast(gmv_net_usd as decimal(18, 4)) as gmv_net_usd,
        conversion_rate,
        cast(gpm_net_usd as decimal(18, 4)) as gpm_net_usd,
        cast(case
            when broadcasts >= {{ min_broadcasts }} then
                row_number() over (
                    partition by market_country_code, broadcasts >= {{ min_broadcasts }}
                    order by
                        gpm_net_usd desc nulls last,
                        conversion_rate desc nulls last,
                        start_weekday_local asc,
                        start_hour_local asc
                )
        end as bigint) as gpm_rank_in_market,
        cast(hour_broadcasts as bigint) as hour_broadcasts,
        cast(hour_viewers as bigint) as hour_viewers,
        hour_conversion_rate,
        cast(hour_gpm_net_usd as decimal(18, 4)) as hour_gpm_net_usd,
        hour_gpm_rank_in_market
    from rated
)

select * from final
