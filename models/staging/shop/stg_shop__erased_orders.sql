{{ config(materialized='ephemeral') }}
-- Order ids placed by erased accounts: their lines and refunds are erased with them.
-- Ephemeral: never written to the file.
with

orders as (
    select * from {{ source('shop', 'orders') }}
),

deletion_requests as (
    select * from {{ source('shop', 'deletion_requests') }}
),

final as (
    select distinct {{ clean_text('orders.order_id') }} as order_id
    from orders
    inner join deletion_requests
        on {{ clean_text('orders.customer_id') }} = {{ clean_text('deletion_requests.customer_id') }}
    where {{ clean_text('orders.order_id') }} is not null
)

select * from final
