-- Every raw extra identifier with its final quarantine reason (null = accepted): it must
-- belong to a known, accepted account. Rows of erased accounts become count-only rows.
with

identifiers as (
    select * from {{ ref('stg_shop__customer_identifiers') }}
),

customers as (
    select * from {{ ref('int_customers_validated') }}
),

erased_accounts as (
    select * from {{ ref('int_erased_accounts') }}
),

erasure_checked as (
    select
        identifiers.*,
        erased_accounts.customer_id is not null as is_erased
    from identifiers
    left join erased_accounts
        on identifiers.customer_id = erased_accounts.customer_id
),

customer_status as (
    select
        customer_id,
        bool_or(quarantine_reason is null) as has_accepted_row
    from customers
    where quarantine_reason is distinct from 'erased'
    group by customer_id
),

checked as (
    select
        erasure_checked.*,
        coalesce(
            erasure_checked.row_defect,
            case
                when customer_status.customer_id is null then 'unknown_customer'
                when not customer_status.has_accepted_row then 'parent_quarantined'
            end
        ) as quarantine_reason
    from erasure_checked
    left join customer_status
        on erasure_checked.customer_id = customer_status.customer_id
    where not erasure_checked.is_erased
),

final as (
    select
        customer_id,
        identifier_type,
        identifier_sha256,
        observed_at,
        quarantine_reason,
        {{ raw_record_if_rejected() }} as raw_record,
        _raw_row_number
    from checked
),

{{ select_with_erased_rows() }}
