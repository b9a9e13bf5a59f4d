-- Every raw campaign message (sent or held out as control) with its final quarantine reason
-- (null = accepted): its campaign must exist (unknown_campaign) and be accepted
-- (parent_quarantined), its account likewise (unknown_customer, parent_quarantined). A message
-- to an erased account is kept as a count only; a duplicate message_id keeps its first valid copy.
{%- set columns = ['message_id', 'campaign_id', 'customer_id', 'sent_at', 'is_control', 'delivered_at',
    'opened_at', 'clicked_at'] %}
with

campaign_messages as (
    select * from {{ ref('stg_shop__campaign_messages') }}
    where is_after_observation_end is not true
),

erased_accounts as (
    select * from {{ ref('int_erased_accounts') }}
),

campaigns as (
    select * from {{ ref('int_campaigns_validated') }}
),

customers as (
    select * from {{ ref('int_customers_validated') }}
),

erasure_checked {{ not_materialized() }} (
    select
        campaign_messages.*,
        erased_accounts.customer_id is not null as is_erased
    from campaign_messages
    left join erased_accounts
        on campaign_messages.customer_id = erased_accounts.customer_id
),

{{ duplicate_key_ctes('erasure_checked', ['message_id']) }},

campaign_status as (
    {{ parent_status('campaigns', 'campaign_id') }}
),

customer_status as (
    {{ parent_status('customers', 'customer_id') }}
),

checked as (
    select
        erasure_checked.*,
        case
            when erasure_checked.is_erased then 'erased'
            else coalesce(
                {{ duplicate_key_reason('erasure_checked') }},
                case
                    when campaign_status.campaign_id is null then 'unknown_campaign'
                    when not campaign_status.has_accepted_row then 'parent_quarantined'
                    when customer_status.customer_id is null then 'unknown_customer'
                    when not customer_status.has_accepted_row then 'parent_quarantined'
                end
            )
        end as quarantine_reason
    from erasure_checked
    left join first_valid_copies
        on erasure_checked.message_id = first_valid_copies.message_id
    left join campaign_status
        on erasure_checked.campaign_id = campaign_status.campaign_id
    left join customer_status
        on erasure_checked.customer_id = customer_status.customer_id
),

final as (
    select
        {{ unless_erased('checked', columns) }},
        checked.quarantine_reason,
        {{ rejected_row_record('checked', columns) }} as raw_record,
        checked._raw_row_number
    from checked
)

select * from final
