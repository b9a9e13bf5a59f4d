-- Every raw live event with its final quarantine reason (null = accepted). The session must
-- exist; a given customer_id must be a known account. Events more than live_event_grace_minutes
-- before the start or after the end of their session are quarantined (outside_session_window);
-- events inside the grace margin are kept and clipped to the session by the viewer models.
-- Events of erased accounts, and anonymous events of a device an erased account logged in on,
-- become count-only rows; a duplicate event_id keeps its first valid copy.
with

live_events as (
    select * from {{ ref('stg_shop__live_events') }}
),

erased_accounts as (
    select * from {{ ref('int_erased_accounts') }}
),

erased_viewers as (
    select * from {{ ref('int_erased_viewers') }}
),

live_sessions as (
    select * from {{ ref('int_live_sessions_validated') }}
),

customers as (
    select * from {{ ref('int_customers_validated') }}
),

erasure_checked as (
    select
        live_events.*,
        erased_accounts.customer_id is not null
        or (live_events.customer_id is null and erased_viewers.viewer_id is not null) as is_erased
    from live_events
    left join erased_accounts
        on live_events.customer_id = erased_accounts.customer_id
    left join erased_viewers
        on live_events.viewer_id = erased_viewers.viewer_id
),

deduplicated as (
    select
        *,
        {{ quarantine_reason('row_defect', ['event_id']) }} as own_quarantine_reason
    from erasure_checked
    where not is_erased
),

session_ids as (
    select distinct session_id
    from live_sessions
    where session_id is not null
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
    where customer_id is not null
    group by customer_id
),

checked as (
    select
        deduplicated.*,
        coalesce(
            deduplicated.own_quarantine_reason,
            case
                when session_ids.session_id is null then 'unknown_session'
                when accepted_sessions.session_id is null then 'parent_quarantined'
                when deduplicated.customer_id is not null and customer_status.customer_id is null
                    then 'unknown_customer'
                when deduplicated.customer_id is not null and not customer_status.has_accepted_row
                    then 'parent_quarantined'
                when
                    deduplicated.event_at
                    < accepted_sessions.started_at - interval {{ var('live_event_grace_minutes') }} minute
                    or deduplicated.event_at
                    > accepted_sessions.ended_at + interval {{ var('live_event_grace_minutes') }} minute
                    then 'outside_session_window'
            end
        ) as quarantine_reason
    from deduplicated
    left join session_ids
        on deduplicated.session_id = session_ids.session_id
    left join accepted_sessions
        on deduplicated.session_id = accepted_sessions.session_id
    left join customer_status
        on deduplicated.customer_id = customer_status.customer_id
),

final as (
    select
        event_id,
        session_id,
        viewer_id,
        customer_id,
        event_type,
        event_at,
        product_id,
        amount,
        currency_code,
        quarantine_reason,
        {{ raw_record_if_rejected() }} as raw_record,
        _raw_row_number
    from checked
),

{{ select_with_erased_rows() }}
