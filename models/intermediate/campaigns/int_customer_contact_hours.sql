-- One row per person with any live join or qualifying order: the market-local hour (0-23) at which
-- they most often joined a live session or ordered (each join and each order counts once), for
-- send-time targeting. Ties go to the hour of the most recent such event, then the earlier hour.
with

persons as (
    select * from {{ ref('int_persons') }}
),

orders as (
    select * from {{ ref('int_orders_enriched') }}
    where is_qualifying
),

live_events as (
    select * from {{ ref('int_live_events_resolved') }}
    where not _is_deleted and event_type = 'join' and customer_key is not null
),

events as (
    select
        customer_key,
        order_hour_local as local_hour,
        ordered_at as happened_at
    from orders
    union all
    select
        live_events.customer_key,
        cast(hour({{ utc_to_local('live_events.event_at', 'persons.market_time_zone') }}) as bigint) as local_hour,
        live_events.event_at as happened_at
    from live_events
    inner join persons
        on live_events.customer_key = persons.customer_key
),

hours as (
    select
        customer_key,
        local_hour,
        count(*) as events_in_hour,
        max(happened_at) as last_event_at
    from events
    group by customer_key, local_hour
),

ranked as (
    select
        *,
        cast(sum(events_in_hour) over (partition by customer_key) as bigint) as events,
        row_number() over (
            partition by customer_key order by events_in_hour desc, last_event_at desc, local_hour asc
        ) as hour_rank
    from hours
),

final as (
    select
        customer_key,
        local_hour as best_local_hour,
        events_in_hour as events_in_best_hour,
        events
    from ranked
    where hour_rank = 1
)

select * from final
