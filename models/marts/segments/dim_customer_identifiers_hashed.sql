-- The SHA-256 of the normalised email addresses and phone numbers of each person's accounts
-- (the account's own and the extra identifiers; hashed in staging, the clear values never
-- reach the warehouse), for customer matching on ad platforms. One row per person,
-- identifier type and hash. An identifier shared by several persons (too widely shared to
-- merge accounts: a family phone, a placeholder) is flagged, so an export can leave it out.
with

account_identifiers as (
    select * from {{ ref('int_account_identifiers') }}
    where identifier_type in ('email', 'phone')
),

accounts as (
    select * from {{ ref('int_accounts_stitched') }}
),

person_identifiers as (
    select
        accounts.customer_key,
        account_identifiers.identifier_type,
        account_identifiers.identifier_sha256,
        count(distinct account_identifiers.customer_id) as accounts_with_identifier
    from account_identifiers
    inner join accounts
        on account_identifiers.customer_id = accounts.customer_id
    group by accounts.customer_key, account_identifiers.identifier_type, account_identifiers.identifier_sha256
),

final as (
    select
        customer_key,
        identifier_type,
        identifier_sha256,
        accounts_with_identifier,
        count(*) over (partition by identifier_type, identifier_sha256) as persons_with_identifier,
        count(*) over (partition by identifier_type, identifier_sha256) > 1 as is_shared_across_persons
    from person_identifiers
)

select * from final
