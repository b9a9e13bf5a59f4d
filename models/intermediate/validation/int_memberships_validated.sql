-- Every raw membership spell with its final quarantine reason (null = accepted): its account
-- must be known and accepted (unknown_customer, parent_quarantined); the key is (customer_id,
-- started_at), a duplicate keeps its first valid copy. Overlapping spells of one account are
-- kept (a shop may log an upgrade before closing the old tier): the tier at a date is the one of
-- the latest spell started by then (int_memberships_resolved). A spell of an erased account is
-- kept as a count only.
{%- set columns = ['customer_id', 'member_tier', 'started_at', 'ended_at', 'points_balance'] %}
with

memberships as (
    select * from {{ ref('stg_shop__memberships') }}
    where is_after_observation_end is not true
),

erased_accounts as (
    select * from {{ ref('int_erased_accounts') }}
),

customers as (
    select * from {{ ref('int_customers_validated') }}
),

erasure_checked {{ not_materialized() }} (
    select
        memberships.*,
        erased_accounts.customer_id is not null as is_erased
    from memberships
    left join erased_accounts
        on memberships.customer_id = erased_accounts.customer_id
),

{{ duplicate_key_ctes('erasure_checked', ['customer_id', 'started_at']) }},

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
                    when customer_status.customer_id is null then 'unknown_customer'
                    when not customer_status.has_accepted_row then 'parent_quarantined'
                end
            )
        end as quarantine_reason
    from erasure_checked
    left join first_valid_copies
        on
            erasure_checked.customer_id = first_valid_copies.customer_id
            and erasure_checked.started_at = first_valid_copies.started_at
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
