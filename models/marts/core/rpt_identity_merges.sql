-- Audit of identity stitching: one row per accepted account, the person it was merged into
-- and the identifier types that linked it (null for a person of one account).
with

accounts as (
    select * from {{ ref('int_accounts_stitched') }}
),

final as (
    select
        customer_id,
        customer_key,
        primary_customer_id,
        is_primary_account,
        accounts_in_person,
        merged_via,
        created_at
    from accounts
)

select * from final
