-- One row per buyer (a person with a purchase day up to the observation end): acquisition
-- cohort, first and second purchase day, and the attributes repurchase is cut by: market,
-- language, acquisition channel, the first order (category, value band, sales channel, live
-- session, host, platform, delivery time) and the live experience before the first purchase
-- (interactions, and the stream latency the person saw, banded by the seed latency_bands).
with

purchase_days as (
    select * from {{ ref('int_purchase_days_observed') }}
),

customers as (
    select * from {{ ref('int_persons_profiled') }}
),

orders as (
    select * from {{ ref('int_orders_enriched') }}
),

live_events as (
    select * from {{ ref('int_live_events_resolved') }}
    where customer_key is not null and not _is_deleted
),

viewer_sessions as (
    select * from {{ ref('int_viewer_sessions_aggregated') }}
    where has_joined and customer_key is not null
),

viewer_session_quality as (
    select * from {{ ref('int_live_viewer_session_quality') }}
),

latency_bands as (
    select * from {{ ref('latency_bands') }}
),

observation_end as (
    select max(as_of_date) as as_of_date from {{ ref('int_observation_end') }}
),

purchase_summary as (
    select
        customer_key,
        min(purchase_date) as first_purchase_date,
        min(purchase_date) filter (where purchase_day_number = 2) as second_purchase_date,
        count(*) as purchase_days,
        cast(sum(qualifying_orders) as bigint) as qualifying_orders,
        cast(sum(net_usd) as decimal(18, 4)) as net_usd
    from purchase_days
    group by customer_key
),

buyers as (
    select
        customers.customer_key,
        customers.primary_customer_id,
        customers.market_country_code,
        customers.market_region,
        customers.market_time_zone,
        customers.language_code,
        customers.acquisition_channel,
        purchase_summary.first_purchase_date,
        purchase_summary.second_purchase_date,
        purchase_summary.purchase_days,
        purchase_summary.qualifying_orders,
        purchase_summary.net_usd,
        customers.first_order_id,
        first_order.ordered_at as first_ordered_at,
        customers.first_order_category,
        customers.first_order_value_usd,
        customers.first_order_value_band,
        customers.first_order_sales_channel,
        customers.acquiring_session_id,
        customers.acquiring_host_id,
        customers.acquiring_platform,
        -- a delivery after the observation end was not known at it
        case
            when cast(first_order.delivered_at as date) <= observation_end.as_of_date
                then first_order.delivery_days
        end as first_order_delivery_days
    from purchase_summary
    inner join customers
        on purchase_summary.customer_key = customers.customer_key
    left join orders as first_order
        on customers.first_order_id = first_order.order_id
    cross join observation_end
),

interactions_before_first_purchase as (
    select
        buyers.customer_key,
        count(*) as interactions
    from buyers
    inner join live_events
        on
            buyers.customer_key = live_events.customer_key
            and buyers.first_ordered_at > live_events.event_at
            and live_events.event_at >= buyers.first_ordered_at - interval {{ var('interaction_lookback_days') }} day
    where live_events.is_interaction
    group by buyers.customer_key
),

-- the latency the person saw in each session joined before the first order (the stream quality
-- of the viewer-session as int_live_viewer_session_quality measures it)
sessions_watched_before_first_purchase as (
    select
        buyers.customer_key,
        viewer_sessions.session_id,
        viewer_session_quality.latency_ms
    from buyers
    inner join viewer_sessions
        on
            buyers.customer_key = viewer_sessions.customer_key
            and buyers.first_ordered_at > viewer_sessions.first_joined_at
    left join viewer_session_quality
        on
            viewer_sessions.session_id = viewer_session_quality.session_id
            and viewer_sessions.viewer_id = viewer_session_quality.viewer_id
),

latency_before_first_purchase as (
    select
        customer_key,
        count(distinct session_id) as sessions_watched,
        median(latency_ms) as median_latency_ms
    from sessions_watched_before_first_purchase
    group by customer_key
),

final as (
    select
        buyers.customer_key,
        buyers.primary_customer_id,
        buyers.first_purchase_date,
        cast(date_trunc('month', buyers.first_purchase_date) as date) as cohort_month,
        cast(date_trunc('week', buyers.first_purchase_date) as date) as cohort_week,
        {{ date_label('buyers.first_purchase_date', 'iso_week') }} as cohort_iso_week,
        buyers.second_purchase_date,
        {{ days_between('buyers.first_purchase_date', 'buyers.second_purchase_date') }} as days_to_second_purchase,
        buyers.purchase_days,
        buyers.qualifying_orders,
        buyers.net_usd,
        buyers.market_country_code,
        buyers.market_region,
        buyers.market_time_zone,
        buyers.language_code,
        buyers.acquisition_channel,
        buyers.first_order_id,
        buyers.first_ordered_at,
        buyers.first_order_category,
        buyers.first_order_value_usd,
        coalesce(buyers.first_order_value_band, 'unknown') as first_order_value_band,
        buyers.first_order_sales_channel,
        buyers.first_order_sales_channel = 'live' as is_first_order_live,
        buyers.acquiring_session_id,
        buyers.acquiring_host_id,
        buyers.acquiring_platform,
        buyers.first_order_delivery_days,
        case
            when buyers.first_order_delivery_days is null then 'unknown'
            when buyers.first_order_delivery_days <= {{ var('repurchase_slow_delivery_days', 14) }}
                then 'up_to_{{ var("repurchase_slow_delivery_days", 14) }}_days'
            else 'over_{{ var("repurchase_slow_delivery_days", 14) }}_days'
        end as first_order_delivery_band,
        coalesce(interactions_before_first_purchase.interactions, 0) as interactions_before_first_purchase,
        {{ repurchase_interaction_depth('interactions_before_first_purchase.interactions') }}
            as interaction_depth_before_first_purchase,
        coalesce(latency_before_first_purchase.sessions_watched, 0) as sessions_watched_before_first_purchase,
        latency_before_first_purchase.median_latency_ms as latency_ms_before_first_purchase,
        case
            when latency_before_first_purchase.customer_key is null then 'no_live_before_purchase'
            else coalesce(latency_bands.latency_band, 'unknown')
        end as latency_band_before_first_purchase
    from buyers
    left join interactions_before_first_purchase
        on buyers.customer_key = interactions_before_first_purchase.customer_key
    left join latency_before_first_purchase
        on buyers.customer_key = latency_before_first_purchase.customer_key
    left join latency_bands
        on
            latency_before_first_purchase.median_latency_ms >= latency_bands.min_latency_ms
            and (
                latency_before_first_purchase.median_latency_ms < latency_bands.max_latency_ms
                or latency_bands.max_latency_ms is null
            )
)

select * from final
