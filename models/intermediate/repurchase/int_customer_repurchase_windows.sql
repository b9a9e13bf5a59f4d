-- One row per buyer and repurchase window (var repurchase_windows): whether the window has
-- closed by the observation end (eligible), whether the buyer repurchased within it (a purchase
-- day 1 to N days after the first purchase day), and the orders, purchase days, net USD and
-- live interactions from the first purchase to the window's last day (first purchase day
-- included). For a censored buyer (window still open) the figures are those observed so far.
with

buyers as (
    select * from {{ ref('int_buyers_profiled') }}
),

purchase_days as (
    select * from {{ ref('int_purchase_days_observed') }}
),

live_events as (
    select * from {{ ref('int_live_events_resolved') }}
    where customer_key is not null and is_interaction and not _is_deleted
),

observation_end as (
    select max(as_of_date) as as_of_date from {{ ref('int_observation_end') }}
),

windows as (
    select windows.window_days
    from {{ literal_rows(repurchase_windows(), 'windows', 'window_days') }}
),

buyer_windows as (
    select
        buyers.customer_key,
        buyers.first_purchase_date,
        buyers.first_ordered_at,
        buyers.market_time_zone,
        windows.window_days,
        buyers.first_purchase_date + windows.window_days as window_end_date,
        buyers.first_purchase_date + windows.window_days <= observation_end.as_of_date as is_eligible,
        observation_end.as_of_date
    from buyers
    cross join windows
    cross join observation_end
),

purchases_in_window as (
    select
        buyer_windows.customer_key,
        buyer_windows.window_days,
        count(*) as purchase_days_within,
        cast(sum(purchase_days.qualifying_orders) as bigint) as orders_within,
        cast(sum(purchase_days.net_usd) as decimal(18, 4)) as net_usd_within,
        count(*) filter (where purchase_days.days_since_first_purchase >= 1) > 0 as has_repurchased
    from buyer_windows
    inner join purchase_days
        on
            buyer_windows.customer_key = purchase_days.customer_key
            and purchase_days.days_since_first_purchase between 0 and buyer_windows.window_days
    group by buyer_windows.customer_key, buyer_windows.window_days
),

interactions_in_window as (
    select
        buyer_windows.customer_key,
        buyer_windows.window_days,
        count(*) as interactions_within
    from buyer_windows
    inner join live_events
        on
            buyer_windows.customer_key = live_events.customer_key
            and buyer_windows.first_ordered_at <= live_events.event_at
            and cast({{ utc_to_local('live_events.event_at', 'buyer_windows.market_time_zone') }} as date)
            <= least(buyer_windows.window_end_date, buyer_windows.as_of_date)
    group by buyer_windows.customer_key, buyer_windows.window_days
),

final as (
    select
        buyer_windows.customer_key,
        buyer_windows.window_days,
        buyer_windows.window_end_date,
        buyer_windows.is_eligible,
        coalesce(purchases_in_window.has_repurchased, false) as has_repurchased,
        coalesce(purchases_in_window.orders_within, 0) as orders_within,
        coalesce(purchases_in_window.purchase_days_within, 0) as purchase_days_within,
        coalesce(purchases_in_window.net_usd_within, 0) as net_usd_within,
        coalesce(interactions_in_window.interactions_within, 0) as interactions_within,
        {{ repurchase_interaction_depth('interactions_in_window.interactions_within') }}
            as interaction_depth_within
    from buyer_windows
    left join purchases_in_window
        on
            buyer_windows.customer_key = purchases_in_window.customer_key
            and buyer_windows.window_days = purchases_in_window.window_days
    left join interactions_in_window
        on
            buyer_windows.customer_key = interactions_in_window.customer_key
            and buyer_windows.window_days = interactions_in_window.window_days
)

select * from final
