-- One row per accepted order: the person, native and USD amounts (gross, refunded, net), the
-- applied exchange rate and its date, the market-local date and hour, whether it qualifies as a
-- purchase, its purchase-day sequence number and the attributed live session. _changed_at
-- marks the orders that changed in a run (incremental live and activity models follow it).
with

orders as (
    select * from {{ ref('int_orders_validated') }}
    where quarantine_reason is null
),

refunds as (
    select * from {{ ref('int_refunds_validated') }}
    where quarantine_reason is null
),

accounts as (
    select * from {{ ref('int_accounts_stitched') }}
),

persons as (
    select * from {{ ref('int_persons') }}
),

live_sessions as (
    select * from {{ ref('int_live_sessions_localised') }}
),

refunds_per_order as (
    select
        order_id,
        count(*) as refund_count,
        sum(refund_amount) as refunded_amount,
        max(refunded_at) as last_refunded_at
    from refunds
    group by order_id
),

orders_joined as (
    select
        orders.order_id,
        orders.customer_id,
        accounts.customer_key,
        persons.market_time_zone,
        orders.ordered_at,
        orders.order_status,
        orders.sales_channel,
        live_sessions.session_id as live_session_id,
        live_sessions.host_id as live_host_id,
        live_sessions.platform as live_platform,
        orders.shipping_country_code,
        orders.delivered_at,
        orders.currency_code,
        orders.order_total as gross_amount,
        cast(least(coalesce(refunds_per_order.refunded_amount, 0), orders.order_total) as decimal(18, 4))
            as refunded_amount,
        coalesce(refunds_per_order.refunded_amount, 0) > orders.order_total as is_over_refunded,
        coalesce(refunds_per_order.refund_count, 0) as refund_count,
        refunds_per_order.last_refunded_at,
        orders.fx_usd_per_unit,
        orders.fx_rate_date,
        orders.fx_rate_source
    from orders
    inner join accounts
        on orders.customer_id = accounts.customer_id
    inner join persons
        on accounts.customer_key = persons.customer_key
    left join refunds_per_order
        on orders.order_id = refunds_per_order.order_id
    left join live_sessions
        on orders.live_session_id = live_sessions.session_id
),

amounts as (
    select
        *,
        cast(gross_amount - refunded_amount as decimal(18, 4)) as net_amount,
        {{ usd_amount('gross_amount', 'fx_usd_per_unit') }} as gross_usd,
        {{ usd_amount('refunded_amount', 'fx_usd_per_unit') }} as refunded_usd,
        {{ utc_to_local('ordered_at', 'market_time_zone') }} as ordered_at_local,
        order_status not in ('cancelled', 'refunded')
        and (
            refunded_amount < gross_amount
            {%- if var('zero_value_orders_qualify') %}
                or (gross_amount = 0 and refunded_amount = 0)
            {%- endif %}
        ) as is_qualifying
    from orders_joined
),

purchase_days as (
    select
        customer_key,
        cast(ordered_at_local as date) as purchase_date,
        cast(dense_rank() over (partition by customer_key order by cast(ordered_at_local as date)) as bigint)
            as purchase_day_number
    from amounts
    where is_qualifying
    group by customer_key, cast(ordered_at_local as date)
),

purchase_days_sequenced as (
    select
        customer_key,
        purchase_date,
        purchase_day_number,
        {{ days_between(
            'lag(purchase_date) over (partition by customer_key order by purchase_date)', 'purchase_date'
        ) }} as days_since_previous_purchase_day
    from purchase_days
),

final as (
    select
        amounts.order_id,
        amounts.customer_key,
        amounts.customer_id,
        amounts.ordered_at,
        amounts.ordered_at_local,
        cast(amounts.ordered_at_local as date) as order_date_local,
        cast(hour(amounts.ordered_at_local) as bigint) as order_hour_local,
        amounts.market_time_zone,
        amounts.order_status,
        amounts.is_qualifying,
        purchase_days_sequenced.purchase_day_number,
        purchase_days_sequenced.days_since_previous_purchase_day,
        amounts.sales_channel,
        amounts.live_session_id,
        amounts.live_host_id,
        amounts.live_platform,
        amounts.shipping_country_code,
        amounts.delivered_at,
        cast(
            {{ dbt.datediff('amounts.ordered_at', 'amounts.delivered_at', 'day') }}
            as bigint
        ) as delivery_days,
        amounts.currency_code,
        amounts.gross_amount,
        amounts.refunded_amount,
        amounts.net_amount,
        amounts.refund_count,
        amounts.is_over_refunded,
        amounts.last_refunded_at,
        amounts.fx_usd_per_unit,
        amounts.fx_rate_date,
        amounts.fx_rate_source,
        amounts.gross_usd,
        amounts.refunded_usd,
        cast(amounts.gross_usd - amounts.refunded_usd as decimal(18, 4)) as net_usd
    from amounts
    left join purchase_days_sequenced
        on
            amounts.customer_key = purchase_days_sequenced.customer_key
            and cast(amounts.ordered_at_local as date) = purchase_days_sequenced.purchase_date
            and amounts.is_qualifying
),

{{ change_stamped('final', ['order_id'], [
    'customer_key', 'ordered_at', 'order_date_local', 'order_status', 'is_qualifying', 'purchase_day_number',
    'live_session_id', 'delivered_at', 'gross_amount', 'refunded_amount', 'fx_usd_per_unit', 'fx_rate_date'
], previous_columns=['customer_key', 'live_session_id']) }}

select * from change_stamped
