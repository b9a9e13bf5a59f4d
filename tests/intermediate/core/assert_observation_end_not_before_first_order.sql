{{ config(severity='error') }}
-- An observation end before the first accepted order is a user mistake (every mart would be
-- empty or meaningless): the build stops here. Fails when the observation end is set (var
-- as_of_date) and no order on or before it was accepted while the raw file has orders.
with

observation_end as (
    select * from {{ ref('int_observation_end') }}
),

accepted_orders as (
    select count(*) as orders
    from {{ ref('int_orders_validated') }}
    where quarantine_reason is null
),

orders_in_file as (
    select
        count(*) as orders,
        min(cast(ordered_at as date)) filter (where row_defect is null) as first_order_date
    from {{ ref('stg_shop__orders') }}
)

select
    observation_end.as_of_date,
    orders_in_file.first_order_date,
    'The observation end ' || cast(observation_end.as_of_date as string)
    || ' is before the first order (' || cast(orders_in_file.first_order_date as string)
    || '): choose a later --as-of date or leave it unset.' as problem
from observation_end
cross join accepted_orders
cross join orders_in_file
where accepted_orders.orders = 0 and orders_in_file.orders > 0
