{{ config(materialized='ephemeral') }}
-- Accounts with a right-to-erasure request. Ephemeral on purpose: the clear account ids of
-- erased accounts are never written to the warehouse file; models that need them inline this.
-- Every request counts, even one whose requested_at does not parse.
with

source as (
    select * from {{ source('shop', 'deletion_requests') }}
),

final as (
    select distinct {{ clean_text('customer_id') }} as customer_id
    from source
    where {{ clean_text('customer_id') }} is not null
)

select * from final
