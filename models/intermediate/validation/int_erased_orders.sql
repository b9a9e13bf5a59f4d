{{ config(materialized='ephemeral') }}
-- Order ids placed by erased accounts: their lines and refunds are erased with them.
-- Ephemeral: never written to the file. Reads two columns of the orders file.
with

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

erased_accounts as (
    select * from {{ ref('int_erased_accounts') }}
),

final as (
    select distinct orders.order_id
    from orders
    inner join erased_accounts
        on orders.customer_id = erased_accounts.customer_id
    where orders.order_id is not null
)

select * from final
