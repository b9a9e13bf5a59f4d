-- One row per person per market-local day with any purchase or live activity: qualifying
-- orders and their money, and live interactions by type. The building block of lifecycle,
-- RFM, interaction depth and segment history.
with

orders as (
    select * from {{ ref('int_orders_enriched') }}
    where is_qualifying
),

live_events as (
    select * from {{ ref('int_live_events_resolved') }}
    where customer_key is not null and not _is_deleted
),

persons as (
    select * from {{ ref('int_persons') }}
),

purchases as (
    select
        customer_key,
        order_date_local as activity_date,
        count(*) as qualifying_orders,
        sum(gross_usd) as gross_usd,
        sum(net_usd) as net_usd
    from orders
    group by customer_key, order_date_local
),

live_activity as (
    select
        live_events.customer_key,
        cast({{ utc_to_local('live_events.event_at', 'persons.market_time_zone') }} as date) as activity_date,
        count(*) filter (where live_events.event_type = 'join') as joins,
        count(distinct live_events.session_id) as sessions_attended,
        count(*) filter (where live_events.is_interaction) as interactions,
        count(*) filter (where live_events.event_type = 'comment') as comments,
        count(*) filter (where live_events.event_type = 'like') as likes,
        count(*) filter (where live_events.event_type = 'share') as shares,
        count(*) filter (where live_events.event_type = 'gift') as gifts,
        count(*) filter (where live_events.event_type = 'follow') as follows,
        count(*) filter (where live_events.event_type = 'product_click') as product_clicks,
        count(*) filter (where live_events.event_type = 'add_to_cart') as add_to_carts
    from live_events
    inner join persons
        on live_events.customer_key = persons.customer_key
    group by live_events.customer_key, activity_date
),

final as (
    select
        coalesce(purchases.customer_key, live_activity.customer_key) as customer_key,
        coalesce(purchases.activity_date, live_activity.activity_date) as activity_date,
        purchases.customer_key is not null as is_purchase_day,
        coalesce(purchases.qualifying_orders, 0) as qualifying_orders,
        coalesce(purchases.gross_usd, 0) as gross_usd,
        coalesce(purchases.net_usd, 0) as net_usd,
        coalesce(live_activity.joins, 0) as joins,
        coalesce(live_activity.sessions_attended, 0) as sessions_attended,
        coalesce(live_activity.interactions, 0) as interactions,
        coalesce(live_activity.comments, 0) as comments,
        coalesce(live_activity.likes, 0) as likes,
        coalesce(live_activity.shares, 0) as shares,
        coalesce(live_activity.gifts, 0) as gifts,
        coalesce(live_activity.follows, 0) as follows,
        coalesce(live_activity.product_clicks, 0) as product_clicks,
        coalesce(live_activity.add_to_carts, 0) as add_to_carts,
        coalesce(live_activity.interactions, 0) > 0 or purchases.customer_key is not null as is_active_day
    from purchases
    full outer join live_activity
        on purchases.customer_key = live_activity.customer_key and purchases.activity_date = live_activity.activity_date
)

select * from final
