-- Every accepted order is in fct_orders exactly once, and nothing else is.
with

accepted as (
    select order_id from {{ ref('int_orders_validated') }}
    where quarantine_reason is null
),

facts as (
    select order_id from {{ ref('fct_orders') }}
),

compared as (
    select
        coalesce(accepted.order_id, facts.order_id) as order_id,
        count(accepted.order_id) as accepted_copies,
        count(facts.order_id) as fact_copies
    from accepted
    full outer join facts
        on accepted.order_id = facts.order_id
    group by coalesce(accepted.order_id, facts.order_id)
)

select * from compared
where accepted_copies != 1 or fact_copies != 1
