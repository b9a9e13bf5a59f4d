{{ config(materialized='ephemeral') }}
-- Accounts with a right-to-erasure request. Ephemeral on purpose: the clear account ids of
-- erased accounts are never written to the warehouse file; the validation models inline this.
-- Every request counts, even one whose requested_at does not parse.
with

deletion_requests as (
    select * from {{ ref('stg_shop__deletion_requests') }}
),

final as (
    select distinct customer_id
    from deletion_requests
    where customer_id is not null
)

select * from final
