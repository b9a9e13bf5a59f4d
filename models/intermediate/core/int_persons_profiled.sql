-- One row per person (accounts stitched): market, language, acquisition channel, first and
-- last activity, the first purchase and how it was acquired, and lifetime purchase figures.
-- Purchase dates are market-local purchase days of qualifying orders. Membership: the tier of the
-- latest-started spell still open at the end of the observation end day, and the first spell's date.
with

persons as (
    select * from {{ ref('int_persons') }}
),

orders {{ not_materialized() }} (
    select * from {{ ref('int_orders_enriched') }}
),

order_items as (
    select * from {{ ref('int_order_items_enriched') }}
),

live_events as (
    select * from {{ ref('int_live_events_resolved') }}
    where not _is_deleted
),

daily_activity as (
    select * from {{ ref('int_customer_daily_activity') }}
    where not _is_deleted
),

value_bands as (
    select * from {{ ref('order_value_bands') }}
),

memberships as (
    select * from {{ ref('int_memberships_resolved') }}
),

observation_end as (
    select max(as_of_date) as as_of_date from {{ ref('int_observation_end') }}
),

membership_summary as (
    select
        memberships.customer_key,
        min(memberships.started_date_local) as first_member_date,
        {{ arg_max('memberships.member_tier', ['memberships.started_at', 'memberships.spell_number']) }} filter (
            where memberships.ended_at is null
            or memberships.ended_at >= cast(observation_end.as_of_date + 1 as timestamp)
        ) as member_tier
    from memberships
    cross join observation_end
    group by memberships.customer_key
),

qualifying_orders as (
    select * from orders
    where is_qualifying
),

first_orders as (
    select
        customer_key,
        {{ arg_min('order_id', ['ordered_at', 'order_id']) }} as first_order_id
    from qualifying_orders
    where purchase_day_number = 1
    group by customer_key
),

first_order_categories as (
    select
        order_id,
        {{ arg_min('category', ['-line_amount_usd', 'line_number']) }} as first_category
    from order_items
    where order_id in (select first_orders.first_order_id from first_orders)
    group by order_id
),

purchase_summary as (
    select
        customer_key,
        min(order_date_local) as first_purchase_date,
        min(order_date_local) filter (where purchase_day_number = 2) as second_purchase_date,
        max(order_date_local) as last_purchase_date,
        count(*) as lifetime_orders,
        max(purchase_day_number) as lifetime_purchase_days,
        sum(net_usd) as lifetime_net_usd
    from qualifying_orders
    group by customer_key
),

first_events as (
    select
        customer_key,
        min(event_at) as first_event_at
    from live_events
    where customer_key is not null
    group by customer_key
),

activity_summary as (
    -- the last day with activity as the segments count it (a purchase, a live interaction, or
    -- a broadcast watched long enough), and the last day with a live interaction
    select
        customer_key,
        max(activity_date) filter (where is_active_day) as last_activity_date,
        max(activity_date) filter (where interactions > 0) as last_interaction_date
    from daily_activity
    group by customer_key
),

order_activity as (
    select
        customer_key,
        min(ordered_at) as first_ordered_at
    from orders
    group by customer_key
),

final as (
    select
        persons.customer_key,
        persons.primary_customer_id,
        persons.accounts_merged,
        persons.created_at,
        persons.market_country_code,
        persons.market_region,
        persons.market_time_zone,
        persons.language_code,
        persons.is_language_inferred,
        persons.acquisition_channel,
        least(
            persons.created_at,
            coalesce(first_events.first_event_at, persons.created_at),
            coalesce(order_activity.first_ordered_at, persons.created_at)
        ) as first_seen_at,
        activity_summary.last_activity_date,
        activity_summary.last_interaction_date,
        purchase_summary.first_purchase_date is not null as is_buyer,
        purchase_summary.first_purchase_date,
        first_orders.first_order_id,
        coalesce(first_order_categories.first_category, 'unknown') as first_order_category,
        first_order.sales_channel as first_order_sales_channel,
        first_order.gross_usd as first_order_value_usd,
        value_bands.value_band as first_order_value_band,
        first_order.live_session_id as acquiring_session_id,
        first_order.live_host_id as acquiring_host_id,
        first_order.live_platform as acquiring_platform,
        purchase_summary.second_purchase_date,
        purchase_summary.last_purchase_date,
        coalesce(purchase_summary.lifetime_orders, 0) as lifetime_orders,
        coalesce(purchase_summary.lifetime_purchase_days, 0) as lifetime_purchase_days,
        cast(coalesce(purchase_summary.lifetime_net_usd, 0) as decimal(18, 4)) as lifetime_net_usd,
        membership_summary.member_tier,
        membership_summary.member_tier is not null as is_member,
        membership_summary.first_member_date
    from persons
    left join purchase_summary
        on persons.customer_key = purchase_summary.customer_key
    left join first_orders
        on persons.customer_key = first_orders.customer_key
    left join orders as first_order
        on first_orders.first_order_id = first_order.order_id
    left join first_order_categories
        on first_orders.first_order_id = first_order_categories.order_id
    left join value_bands
        on
            first_order.gross_usd >= value_bands.min_usd
            and (first_order.gross_usd < value_bands.max_usd or value_bands.max_usd is null)
    left join first_events
        on persons.customer_key = first_events.customer_key
    left join activity_summary
        on persons.customer_key = activity_summary.customer_key
    left join order_activity
        on persons.customer_key = order_activity.customer_key
    left join membership_summary
        on persons.customer_key = membership_summary.customer_key
)

select * from final
