-- One row per reference an accepted row makes to something the warehouse does not have, where
-- the row is kept rather than quarantined: an order attributed to a broadcast that is missing
-- from live_sessions, quarantined there, or whose file the shop did not provide. The order
-- keeps its revenue everywhere; only the attribution to the broadcast is dropped.
with

orders as (
    select * from {{ ref('int_orders_validated') }}
    where quarantine_reason is null and live_session_match != 'matched'
),

final as (
    select
        'orders' as table_name,
        'live_session_id' as column_name,
        'live_sessions' as referenced_table,
        live_session_id as referenced_value,
        live_session_match as reason,
        count(*) as rows_affected,
        min(ordered_at) as first_row_at,
        max(ordered_at) as last_row_at
    from orders
    group by live_session_id, live_session_match
)

select * from final
