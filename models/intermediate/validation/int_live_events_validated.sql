-- Every raw live event with its final quarantine reason (null = accepted). The session must
-- exist; a given customer_id must be a known account. Events more than live_event_grace_minutes
-- before the start or after the end of their session are quarantined (outside_session_window);
-- events inside the grace margin are kept and clipped to the session by the viewer models.
with

live_events as (
    select * from {{ ref('stg_shop__live_events') }}
),

live_sessions as (
    select * from {{ ref('stg_shop__live_sessions') }}
),

customers as (
    select * from {{ ref('stg_shop__customers') }}
),

session_ids as (
    select distinct session_id from live_sessions
),

accepted_sessions as (
    select
        session_id,
        started_at,
        ended_at
    from live_sessions
    where quarantine_reason is null
),

customer_status as (
    select
        customer_id,
        bool_or(quarantine_reason is null) as has_accepted_row
    from customers
    group by customer_id
),

checked as (
    select
        live_events.* exclude (quarantine_reason, raw_record),
        coalesce(
            live_events.quarantine_reason,
            case
                when session_ids.session_id is null then 'unknown_session'
                when accepted_sessions.session_id is null then 'parent_quarantined'
                when live_events.customer_id is not null and customer_status.customer_id is null
                    then 'unknown_customer'
                when live_events.customer_id is not null and not customer_status.has_accepted_row
                    then 'parent_quarantined'
                when
                    live_events.event_at
                    < accepted_sessions.started_at - interval {{ var('live_event_grace_minutes') }} minute
                    or live_events.event_at
                    > accepted_sessions.ended_at + interval {{ var('live_event_grace_minutes') }} minute
                    then 'outside_session_window'
            end
        ) as quarantine_reason,
        live_events.raw_record
    from live_events
    left join session_ids
        on live_events.session_id = session_ids.session_id
    left join accepted_sessions
        on live_events.session_id = accepted_sessions.session_id
    left join customer_status
        on live_events.customer_id = customer_status.customer_id
),

final as (
    select
        * exclude (raw_record),
        coalesce(
            raw_record,
            case when quarantine_reason not in ('erased') then to_json(struct_pack(
                event_id, session_id, viewer_id, customer_id, event_type, event_at, product_id
            ))::varchar end
        ) as raw_record
    from checked
)

select * from final
