-- One row per order attributed to an accepted broadcast (int_orders_enriched.live_session_id), placed in
-- the broadcast's attribution window:
--   during     started_at <= ordered_at <= ended_at
--   post_live  ended_at < ordered_at <= ended_at + post_live_attribution_days days
--   late       placed after the post-live window (attributed, but not counted in GMV)
--   before_start placed before the broadcast started (attributed, but not counted in GMV)
-- An order counts in the broadcast's GMV, orders and buyers when it qualifies and its window
-- is during or post_live (is_counted_in_gmv).
with

orders as (
    select * from {{ ref('int_orders_enriched') }}
    where live_session_id is not null
),

live_sessions as (
    select * from {{ ref('int_live_sessions_localised') }}
),

windowed as (
    select
        orders.order_id,
        orders.live_session_id as session_id,
        orders.customer_key,
        orders.ordered_at,
        orders.order_status,
        orders.is_qualifying,
        orders.purchase_day_number,
        orders.refund_count,
        orders.gross_usd,
        orders.refunded_usd,
        orders.net_usd,
        {{ dbt.datediff('live_sessions.started_at', 'orders.ordered_at', 'second') }}
            as seconds_after_start,
        case
            when orders.ordered_at < live_sessions.started_at then 'before_start'
            when orders.ordered_at <= live_sessions.ended_at then 'during'
            when
                orders.ordered_at
                <= live_sessions.ended_at + interval {{ var('post_live_attribution_days') }} day
                then 'post_live'
            else 'late'
        end as attribution_window
    from orders
    inner join live_sessions
        on orders.live_session_id = live_sessions.session_id
),

final as (
    select
        *,
        is_qualifying and attribution_window in ('during', 'post_live') as is_counted_in_gmv
    from windowed
)

select * from final
