-- One row per accepted campaign message (sent, or a control assignment held out), resolved to the
-- person behind the account, with its campaign and the person's segments at send: the lifecycle
-- stage and value tier of the latest period end (ISO week end, month end) strictly before the
-- local send date. Not the send date itself: its state would already include what the person did
-- after the message that day (a response would move them out of "silent"). Null when the person
-- had not appeared by then.
with

messages as (
    select * from {{ ref('int_campaign_messages_validated') }}
    where quarantine_reason is null
),

campaigns as (
    select * from {{ ref('int_campaigns_validated') }}
    where quarantine_reason is null
),

accounts as (
    select * from {{ ref('int_accounts_stitched') }}
),

persons as (
    select * from {{ ref('int_persons') }}
),

messages_resolved as (
    select
        messages.message_id,
        messages.campaign_id,
        campaigns.channel,
        campaigns.objective,
        campaigns.session_id as campaign_session_id,
        messages.customer_id,
        accounts.customer_key,
        persons.market_country_code,
        messages.sent_at,
        cast({{ utc_to_local('messages.sent_at', 'persons.market_time_zone') }} as date) as sent_date_local,
        cast(hour({{ utc_to_local('messages.sent_at', 'persons.market_time_zone') }}) as bigint) as sent_hour_local,
        messages.is_control,
        messages.delivered_at,
        messages.opened_at,
        messages.clicked_at
    from messages
    inner join campaigns
        on messages.campaign_id = campaigns.campaign_id
    inner join accounts
        on messages.customer_id = accounts.customer_id
    inner join persons
        on accounts.customer_key = persons.customer_key
),

segments as (
    -- only the people messaged, only the columns needed: the history is large
    select
        customer_key,
        segment_date,
        lifecycle_stage,
        value_tier
    from {{ ref('int_customer_segments_evaluated') }}
    where
        has_appeared
        and customer_key in (select messages_resolved.customer_key from messages_resolved)
),

with_segments as (
    select
        messages_resolved.*,
        segments.segment_date as segment_date_at_send,
        segments.lifecycle_stage as lifecycle_stage_at_send,
        segments.value_tier as value_tier_at_send
    from messages_resolved
    {{ asof_join('left', 'segments', 'segments', [('messages_resolved.customer_key', 'customer_key')],
        'messages_resolved.sent_date_local', '>', 'segment_date') }}
)

select * from with_segments
