-- Every (account, identifier) link of accepted accounts: the hashed email and phone on the
-- account itself and the extra identifiers of customer_identifiers. Values are SHA-256 hashes.
with

customers as (
    select * from {{ ref('int_customers_validated') }}
    where quarantine_reason is null
),

identifiers as (
    select * from {{ ref('int_customer_identifiers_validated') }}
    where quarantine_reason is null
),

links as (
    select
        customer_id,
        'email' as identifier_type,
        email_sha256 as identifier_sha256
    from customers
    where email_sha256 is not null

    union

    select
        customer_id,
        'phone' as identifier_type,
        phone_sha256 as identifier_sha256
    from customers
    where phone_sha256 is not null

    union

    select
        customer_id,
        identifier_type,
        identifier_sha256
    from identifiers
)

select * from links
