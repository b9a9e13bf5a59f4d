-- Every raw extra identifier with its final quarantine reason (null = accepted): it must
-- belong to a known, accepted account. A row of an erased account is kept as a count only.
{%- set columns = ['customer_id', 'identifier_type', 'identifier_sha256', 'observed_at'] %}
with

identifiers as (
    select * from {{ ref('stg_shop__customer_identifiers') }}
    where is_after_observation_end is not true
),

customers as (
    select * from {{ ref('int_customers_validated') }}
),

erased_accounts as (
    select * from {{ ref('int_erased_accounts') }}
),

customer_status as (
    {{ parent_status('customers', 'customer_id') }}
),

checked as (
    select
        identifiers.*,
        erased_accounts.customer_id is not null as is_erased,
        case
            when erased_accounts.customer_id is not null then 'erased'
            else coalesce(
                identifiers.row_defect,
                case
                    when customer_status.customer_id is null then 'unknown_customer'
                    when not customer_status.has_accepted_row then 'parent_quarantined'
                end
            )
        end as quarantine_reason
    from identifiers
    left join erased_accounts
        on identifiers.customer_id = erased_accounts.customer_id
    left join customer_status
        on identifiers.customer_id = customer_status.customer_id
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
