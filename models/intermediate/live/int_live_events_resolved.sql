-- One row per accepted live event, resolved to a person where known: directly when the viewer
-- was logged in, otherwise through the viewer id (an anonymous event belongs to the person of
-- the same viewer's next logged-in event, or failing that its latest earlier one).
with

live_events as (
    select * from {{ ref('int_live_events_validated') }}
    where quarantine_reason is null
),

accounts as (
    select * from {{ ref('int_accounts_stitched') }}
),

live_sessions as (
    select * from {{ ref('int_live_sessions_localised') }}
),

events_with_accounts as (
    select
        live_events.event_id,
        live_events.session_id,
        live_events.viewer_id,
        live_events.customer_id,
        accounts.customer_key as logged_in_customer_key,
        live_events.event_type,
        live_events.event_at,
        live_events.product_id,
        live_events.amount,
        live_events.currency_code
    from live_events
    left join accounts
        on live_events.customer_id = accounts.customer_id
),

resolved as (
    select
        *,
        coalesce(
            logged_in_customer_key,
            first_value(logged_in_customer_key ignore nulls) over (
                partition by viewer_id order by event_at, event_id
                rows between current row and unbounded following
            ),
            last_value(logged_in_customer_key ignore nulls) over (
                partition by viewer_id order by event_at, event_id
                rows between unbounded preceding and current row
            )
        ) as customer_key
    from events_with_accounts
),

final as (
    select
        resolved.event_id,
        resolved.session_id,
        resolved.viewer_id,
        resolved.customer_key,
        resolved.customer_id,
        case
            when resolved.logged_in_customer_key is not null then 'logged_in'
            when resolved.customer_key is not null then 'viewer_link'
            else 'anonymous'
        end as identity_resolution,
        resolved.event_type,
        resolved.event_type not in ('join', 'leave') as is_interaction,
        resolved.event_at,
        -- inside the session window (events within the grace margin are clipped to it)
        least(greatest(resolved.event_at, live_sessions.started_at), live_sessions.ended_at) as event_at_clipped,
        resolved.product_id,
        resolved.amount,
        resolved.currency_code
    from resolved
    inner join live_sessions
        on resolved.session_id = live_sessions.session_id
)

select * from final
