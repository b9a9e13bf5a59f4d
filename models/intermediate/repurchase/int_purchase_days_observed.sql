-- One row per buyer and market-local purchase day up to the observation end: the purchase
-- days that every repurchase figure counts. Orders whose market-local date falls after the
-- observation end are ignored, so a build with an earlier as_of_date shows the figures as of
-- that date.
with

orders as (
    select * from {{ ref('int_orders_enriched') }}
    where is_qualifying
),

observation_end as (
    select max(as_of_date) as as_of_date from {{ ref('int_observation_end') }}
),

orders_observed as (
    select orders.*
    from orders
    cross join observation_end
    where orders.order_date_local <= observation_end.as_of_date
),

purchase_days as (
    select
        customer_key,
        order_date_local as purchase_date,
        count(*) as qualifying_orders,
        cast(sum(gross_usd) as decimal(18, 4)) as gross_usd,
        cast(sum(net_usd) as decimal(18, 4)) as net_usd
    from orders_observed
    group by customer_key, order_date_local
),

sequenced as (
    select
        customer_key,
        purchase_date,
        cast(row_number() over (partition by customer_key order by purchase_date) as bigint) as purchase_day_number,
        min(purchase_date) over (partition by customer_key) as first_purchase_date,
        qualifying_orders,
        gross_usd,
        net_usd
    from purchase_days
),

final as (
    select
        customer_key,
        purchase_date,
        purchase_day_number,
        first_purchase_date,
        {{ days_between('first_purchase_date', 'purchase_date') }} as days_since_first_purchase,
        qualifying_orders,
        gross_usd,
        net_usd
    from sequenced
)

select * from final
