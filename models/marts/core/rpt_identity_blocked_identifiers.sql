-- Over-merge guard audit: identifiers shared by more accounts than
-- identity_max_accounts_per_identifier, which were therefore not used to merge accounts.
with

identifiers as (
    select * from {{ ref('int_identifiers_profiled') }}
),

final as (
    select
        identifier_type,
        identifier_sha256,
        account_count,
        is_merge_type
    from identifiers
    where is_over_shared
)

select * from final
