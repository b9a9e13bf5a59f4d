-- The headline numbers of the weekly and monthly review, one row per period (ISO week and
-- calendar month of market-local dates) x market x acquisition channel, with 'all' rows that
-- roll up markets, channels or both, so a dashboard or report reads a row instead of
-- recomputing a rate. Each row carries the previous period's figures and those of the same
-- period a year earlier (52 weeks / 12 months before; null where the data does not reach),
-- with their change. Orders are qualifying orders on market-local dates up to the observation
-- end, cut by the buyer's market and acquisition channel (dim_customers); live figures are
-- broadcasts by their market and local start date (fct_live_session_performance) and are not
-- split by channel (null on channel rows other than 'all').
{%- set compared = [
    ('net_gmv_usd', 'relative'),
    ('qualifying_orders', 'relative'),
    ('buyers', 'relative'),
    ('first_time_buyers', 'relative'),
    ('aov_net_usd', 'relative'),
    ('repeat_buyer_rate', 'points'),
    ('live_viewers', 'relative'),
    ('live_conversion_rate', 'points'),
    ('live_gpm_net_usd', 'relative'),
] %}
with

orders as (
    select * from {{ ref('fct_orders') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

session_performance as (
    select * from {{ ref('fct_live_session_performance') }}
),

observation_end as (
    -- exactly one row whatever int_observation_end holds
    select max(as_of_date) as as_of_date from {{ ref('int_observation_end') }}
),

period_types as (
    select period_types.period_type
    from (values ('week'), ('month')) as period_types (period_type)
),

qualifying_orders as (
    select
        orders.customer_key,
        orders.order_date_local,
        orders.net_usd,
        customers.market_country_code,
        customers.acquisition_channel,
        customers.first_purchase_date
    from orders
    inner join customers
        on orders.customer_key = customers.customer_key
    cross join observation_end
    where orders.is_qualifying and orders.order_date_local <= observation_end.as_of_date
),

buyer_periods as (
    -- one row per person and period with a purchase day in it
    select
        period_types.period_type,
        cast(date_trunc(period_types.period_type, qualifying_orders.order_date_local) as date) as period_start_date,
        qualifying_orders.customer_key,
        any_value(qualifying_orders.market_country_code) as market_country_code,
        any_value(qualifying_orders.acquisition_channel) as acquisition_channel,
        count(distinct qualifying_orders.order_date_local) as purchase_days,
        count(*) as qualifying_orders,
        sum(qualifying_orders.net_usd) as net_usd,
        bool_or(
            date_trunc(period_types.period_type, qualifying_orders.first_purchase_date)
            = date_trunc(period_types.period_type, qualifying_orders.order_date_local)
        ) as is_first_time_buyer
    from qualifying_orders
    cross join period_types
    group by period_types.period_type, period_start_date, qualifying_orders.customer_key
),

rollups as (
    -- the four cuts: market x channel, market only, channel only, everything ('all')
    select
        rollup_flags.by_market,
        rollup_flags.by_channel
    from (values (true, true), (true, false), (false, true), (false, false)) as rollup_flags (by_market, by_channel)
),

order_totals as (
    select
        buyer_periods.period_type,
        buyer_periods.period_start_date,
        case when rollups.by_market then buyer_periods.market_country_code else 'all' end as market_country_code,
        case when rollups.by_channel then buyer_periods.acquisition_channel else 'all' end as acquisition_channel,
        count(*) as buyers,
        count(*) filter (where buyer_periods.is_first_time_buyer) as first_time_buyers,
        count(*) filter (where buyer_periods.purchase_days >= 2) as repeat_buyers,
        sum(buyer_periods.purchase_days) as purchase_days,
        sum(buyer_periods.qualifying_orders) as qualifying_orders,
        sum(buyer_periods.net_usd) as net_usd
    from buyer_periods
    cross join rollups
    group by
        buyer_periods.period_type,
        buyer_periods.period_start_date,
        case when rollups.by_market then buyer_periods.market_country_code else 'all' end,
        case when rollups.by_channel then buyer_periods.acquisition_channel else 'all' end
),

broadcast_periods as (
    select
        period_types.period_type,
        cast(date_trunc(period_types.period_type, session_performance.start_date_local) as date) as period_start_date,
        session_performance.market_country_code,
        session_performance.viewers,
        session_performance.buyers,
        session_performance.gmv_net_usd,
        session_performance.total_watch_minutes
    from session_performance
    cross join period_types
    cross join observation_end
    where session_performance.start_date_local <= observation_end.as_of_date
),

live_totals as (
    -- live figures by market and for all markets; never by acquisition channel
    select
        broadcast_periods.period_type,
        broadcast_periods.period_start_date,
        case when rollups.by_market then broadcast_periods.market_country_code else 'all' end as market_country_code,
        'all' as acquisition_channel,
        count(*) as broadcasts,
        sum(broadcast_periods.viewers) as live_viewers,
        sum(broadcast_periods.buyers) as live_buyers,
        sum(broadcast_periods.gmv_net_usd) as live_gmv_net_usd,
        -- decimal sum: the same total whatever order the broadcasts arrive in
        cast(sum(cast(broadcast_periods.total_watch_minutes as decimal(18, 2))) as double) as live_watch_minutes
    from broadcast_periods
    cross join rollups
    where not rollups.by_channel
    group by
        broadcast_periods.period_type,
        broadcast_periods.period_start_date,
        case when rollups.by_market then broadcast_periods.market_country_code else 'all' end
),

{#- one date series per period type: Spark cannot hold 7 days and 1 month in one column -#}
{%- set period_steps = [('week', 'interval 7 day'), ('month', 'interval 1 month')] %}

periods as (
    -- every week and month from the first order or broadcast to the one holding the observation end
    {%- for period_type, step in period_steps %}
        select
            period_types.period_type,
            {{ unnest_date_series(
                "date_trunc(period_types.period_type, least("
                ~ "(select min(qualifying_orders.order_date_local) from qualifying_orders), "
                ~ "(select min(broadcast_periods.period_start_date) from broadcast_periods)))",
                'date_trunc(period_types.period_type, observation_end.as_of_date)',
                step
            ) }} as period_start_date
        from period_types
        cross join observation_end
        where period_types.period_type = '{{ period_type }}'
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

cuts as (
    -- every market x channel combination that has a figure in some period (plus the rollups)
    select distinct
        market_country_code,
        acquisition_channel
    from order_totals
    union
    select distinct
        market_country_code,
        acquisition_channel
    from live_totals
),

grid as (
    select
        periods.period_type,
        periods.period_start_date,
        case
            when periods.period_type = 'week' then periods.period_start_date + 6
            else last_day(periods.period_start_date)
        end as period_end_date,
        cuts.market_country_code,
        cuts.acquisition_channel
    from periods
    cross join cuts
),

figures as (
    select
        grid.period_type,
        grid.period_start_date,
        grid.period_end_date,
        case
            when grid.period_type = 'week' then {{ date_label('grid.period_start_date', 'iso_week') }}
            else {{ date_label('grid.period_start_date', 'month') }}
        end as period_label,
        grid.period_end_date <= observation_end.as_of_date as is_complete_period,
        grid.market_country_code,
        grid.acquisition_channel,
        coalesce(order_totals.buyers, 0) as buyers,
        coalesce(order_totals.first_time_buyers, 0) as first_time_buyers,
        coalesce(order_totals.repeat_buyers, 0) as repeat_buyers,
        order_totals.repeat_buyers / nullif(order_totals.buyers, 0) as repeat_buyer_rate,
        cast(coalesce(order_totals.purchase_days, 0) as bigint) as purchase_days,
        cast(coalesce(order_totals.qualifying_orders, 0) as bigint) as qualifying_orders,
        cast(coalesce(order_totals.net_usd, 0) as decimal(18, 4)) as net_gmv_usd,
        {{ decimal_ratio('order_totals.net_usd', 'order_totals.qualifying_orders') }} as aov_net_usd,
        case when grid.acquisition_channel = 'all' then coalesce(live_totals.broadcasts, 0) end as broadcasts,
        case when grid.acquisition_channel = 'all' then cast(coalesce(live_totals.live_viewers, 0) as bigint) end
            as live_viewers,
        case when grid.acquisition_channel = 'all' then cast(coalesce(live_totals.live_buyers, 0) as bigint) end
            as live_buyers,
        live_totals.live_buyers / nullif(live_totals.live_viewers, 0) as live_conversion_rate,
        case
            when grid.acquisition_channel = 'all'
                then cast(coalesce(live_totals.live_gmv_net_usd, 0) as decimal(18, 4))
        end as live_gmv_net_usd,
        {{ decimal_ratio('live_totals.live_gmv_net_usd * 1000', 'live_totals.live_viewers') }}
            as live_gpm_net_usd,
        case when grid.acquisition_channel = 'all' then coalesce(live_totals.live_watch_minutes, 0) end
            as live_watch_minutes
    from grid
    cross join observation_end
    left join order_totals
        on
            grid.period_type = order_totals.period_type
            and grid.period_start_date = order_totals.period_start_date
            and grid.market_country_code = order_totals.market_country_code
            and grid.acquisition_channel = order_totals.acquisition_channel
    left join live_totals
        on
            grid.period_type = live_totals.period_type
            and grid.period_start_date = live_totals.period_start_date
            and grid.market_country_code = live_totals.market_country_code
            and grid.acquisition_channel = live_totals.acquisition_channel
),

compared as (
    select
        figures.*,
        previous.period_start_date as previous_period_start_date,
        {%- for measure, kind in compared %}
            previous.{{ measure }} as previous_{{ measure }},
            year_ago.{{ measure }} as year_ago_{{ measure }},
            {%- if kind == 'points' %}
                figures.{{ measure }} - previous.{{ measure }} as {{ measure }}_change,
                figures.{{ measure }} - year_ago.{{ measure }} as {{ measure }}_yoy_change,
            {%- else %}
                cast((figures.{{ measure }} - previous.{{ measure }}) / nullif(previous.{{ measure }}, 0) as double)
                    as {{ measure }}_change_rate,
                cast((figures.{{ measure }} - year_ago.{{ measure }}) / nullif(year_ago.{{ measure }}, 0) as double)
                    as {{ measure }}_yoy_change_rate,
            {%- endif %}
        {%- endfor %}
        year_ago.period_start_date as year_ago_period_start_date
    from figures
    left join figures as previous
        on
            figures.period_type = previous.period_type
            and figures.market_country_code = previous.market_country_code
            and figures.acquisition_channel = previous.acquisition_channel
            and previous.period_start_date = case
                when figures.period_type = 'week' then figures.period_start_date - 7
                else cast(figures.period_start_date - interval 1 month as date)
            end
    left join figures as year_ago
        on
            figures.period_type = year_ago.period_type
            and figures.market_country_code = year_ago.market_country_code
            and figures.acquisition_channel = year_ago.acquisition_channel
            and year_ago.period_start_date = case
                when figures.period_type = 'week' then figures.period_start_date - 364
                else cast(figures.period_start_date - interval 12 month as date)
            end
)

select * from compared
