-- Every accepted campaign message (validation) is exactly one row of fct_campaign_messages, and
-- fct_campaign_messages holds nothing else.
with

accepted as (
    select message_id
    from {{ ref('int_campaign_messages_validated') }}
    where quarantine_reason is null
),

published as (
    select
        message_id,
        count(*) as copies
    from {{ ref('fct_campaign_messages') }}
    group by message_id
),

compared as (
    select
        coalesce(accepted.message_id, published.message_id) as message_id,
        accepted.message_id is not null as is_accepted,
        coalesce(published.copies, 0) as copies
    from accepted
    full outer join published
        on accepted.message_id = published.message_id
)

select * from compared
where not is_accepted or copies != 1
