{#- The contract lists the per-window columns of the default windows (7, 30); with other windows the
    columns differ, so the contract is enforced only when the var has its default. -#}
{{ config(contract={'enforced': campaign_attribution_windows() == [7, 30]}) }}
-- One row per accepted campaign message or control assignment, resolved to the person, with the
-- person's lifecycle stage and value tier at send (latest week or month end before the send date)
-- and, for each attribution window N (var campaign_attribution_windows), whether the window has
-- closed by the observation end and what followed within N days of sending: a live session joined,
-- a qualifying order placed, and its net USD. Each outcome is credited to the person's last message
-- before it (int_campaign_outcomes_attributed), so a later message takes over from an earlier one.
with

messages as (
    select * from {{ ref('int_campaign_messages_resolved') }}
),

outcomes as (
    select * from {{ ref('int_campaign_outcomes_attributed') }}
),

observation_end as (
    select max(as_of_date) as as_of_date from {{ ref('int_observation_end') }}
),

outcomes_per_message as (
    select
        {%- for window in campaign_attribution_windows() %}
            count(*) filter (where outcome_type = 'live_join' and days_after_send < {{ window }})
                as live_joins_{{ window }}d,
            count(*) filter (where outcome_type = 'order' and days_after_send < {{ window }}) as orders_{{ window }}d,
            coalesce(sum(net_usd) filter (where outcome_type = 'order' and days_after_send < {{ window }}), 0)
                as net_usd_{{ window }}d,
        {%- endfor %}
        message_id
    from outcomes
    group by message_id
),

final as (
    select
        messages.message_id,
        messages.campaign_id,
        messages.channel,
        messages.objective,
        messages.campaign_session_id,
        messages.customer_key,
        messages.customer_id,
        messages.market_country_code,
        messages.sent_at,
        messages.sent_date_local,
        messages.sent_hour_local,
        messages.is_control,
        messages.delivered_at is not null as is_delivered,
        messages.opened_at is not null as is_opened,
        messages.clicked_at is not null as is_clicked,
        messages.delivered_at,
        messages.opened_at,
        messages.clicked_at,
        messages.segment_date_at_send,
        coalesce(messages.lifecycle_stage_at_send, 'not_yet_seen') as lifecycle_stage_at_send,
        coalesce(messages.value_tier_at_send, 'not_yet_seen') as value_tier_at_send,
    {%- for window in campaign_attribution_windows() %}
        messages.sent_at + interval {{ window }} day
        <= cast(observation_end.as_of_date + 1 as timestamp) as is_window_complete_{{ window }}d,
        coalesce(outcomes_per_message.live_joins_{{ window }}d, 0) > 0 as has_live_return_{{ window }}d,
        coalesce(outcomes_per_message.orders_{{ window }}d, 0) > 0 as has_order_{{ window }}d,
        coalesce(outcomes_per_message.live_joins_{{ window }}d, 0)
        + coalesce(outcomes_per_message.orders_{{ window }}d, 0) > 0 as has_returned_{{ window }}d,
        coalesce(outcomes_per_message.orders_{{ window }}d, 0) as orders_{{ window }}d,
        cast(coalesce(outcomes_per_message.net_usd_{{ window }}d, 0) as decimal(18, 4)) as net_usd_{{ window }}d
        {{- ',' if not loop.last }}
    {%- endfor %}
    from messages
    cross join observation_end
    left join outcomes_per_message
        on messages.message_id = outcomes_per_message.message_id
)

select * from final
