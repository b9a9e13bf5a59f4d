-- Identity stitching converged: no merging identifier links two accounts of different
-- persons (if this fails, raise identity_propagation_rounds).
with

links as (
    select * from {{ ref('int_account_identifiers') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_profiled') }}
    where is_merging
),

accounts as (
    select * from {{ ref('int_accounts_stitched') }}
)

select
    links.identifier_type,
    links.identifier_sha256,
    count(distinct accounts.customer_key) as persons
from links
inner join identifiers
    on links.identifier_type = identifiers.identifier_type and links.identifier_sha256 = identifiers.identifier_sha256
inner join accounts
    on links.customer_id = accounts.customer_id
group by links.identifier_type, links.identifier_sha256
having count(distinct accounts.customer_key) > 1
