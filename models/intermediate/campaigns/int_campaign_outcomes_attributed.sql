{%- set longest_window = campaign_attribution_windows() | max -%}
-- One row per outcome of a messaged person (a qualifying order, or a join of a live session)
-- that follows one of the person's messages within the longest attribution window, with the
-- message that gets it: the last of the person's messages (sent or control, any campaign) sent at
-- or before the outcome. A person with several messages in a window therefore credits each
-- outcome to one message only; an earlier message keeps only what came before the next one.
-- Messages sent at the same instant are ordered by message_id (the last gets the outcome); an
-- outcome at the very instant of a message counts for it. Outcomes after the observation end
-- never exist (validation leaves them out).
with

messages {{ not_materialized() }} (
    select * from {{ ref('int_campaign_messages_resolved') }}
),

orders as (
    select * from {{ ref('int_orders_enriched') }}
    where is_qualifying
),

live_events as (
    select * from {{ ref('int_live_events_resolved') }}
    where not _is_deleted and event_type = 'join' and customer_key is not null
),

messaged_people as (
    select distinct customer_key from messages
),

outcomes as (
    select
        orders.customer_key,
        'order' as outcome_type,
        orders.order_id as outcome_id,
        orders.ordered_at as outcome_at,
        orders.live_session_id as session_id,
        orders.net_usd
    from orders
    inner join messaged_people
        on orders.customer_key = messaged_people.customer_key
    union all
    select
        live_events.customer_key,
        'live_join' as outcome_type,
        live_events.event_id as outcome_id,
        live_events.event_at as outcome_at,
        live_events.session_id,
        cast(null as decimal(18, 4)) as net_usd
    from live_events
    inner join messaged_people
        on live_events.customer_key = messaged_people.customer_key
),

timeline as (
    select
        customer_key,
        sent_at as happened_at,
        0 as step_order,
        message_id as tie_breaker,
        message_id,
        cast(null as {{ text_type() }}) as outcome_type,
        cast(null as {{ text_type() }}) as outcome_id,
        cast(null as {{ text_type() }}) as session_id,
        cast(null as decimal(18, 4)) as net_usd
    from messages
    union all
    select
        customer_key,
        outcome_at as happened_at,
        1 as step_order,
        outcome_id as tie_breaker,
        null as message_id,
        outcome_type,
        outcome_id,
        session_id,
        net_usd
    from outcomes
),

credited as (
    select
        *,
        {{ last_value_ignore_nulls('message_id') }} over (
            partition by customer_key order by happened_at, step_order, tie_breaker
            rows between unbounded preceding and current row
        ) as credited_message_id
    from timeline
),

final as (
    select
        credited.credited_message_id as message_id,
        credited.customer_key,
        credited.outcome_type,
        credited.outcome_id,
        credited.happened_at as outcome_at,
        credited.session_id,
        credited.net_usd,
        {{ dbt.datediff('messages.sent_at', 'credited.happened_at', 'second') }}
        / cast(86400 as double) as days_after_send
    from credited
    inner join messages
        on credited.credited_message_id = messages.message_id
    where
        credited.step_order = 1
        and credited.happened_at < messages.sent_at + interval {{ longest_window }} day
)

select * from final
