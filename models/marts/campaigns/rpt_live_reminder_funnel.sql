-- One row per broadcast announced by a live reminder (a campaign with a session_id whose channel or
-- objective is live_reminder): people reminded, delivered, opened, clicked, attended (joined this
-- broadcast) and bought (a qualifying order attributed to this broadcast), against the reminder's
-- control group (selected, held out) and against comparable non-reminded viewers: people who joined
-- a broadcast of the same market in the var('live_reminder_comparison_days') (30) days before the
-- first reminder went out and got no reminder (nor control assignment) for this broadcast. Counted
-- per person (several reminders to one person count once; a person both reminded and held out
-- counts as reminded). Only the control comparison is a causal estimate; the non-reminded viewers
-- show whom the reminder was not sent to. Uplift intervals: Newcombe's hybrid score (95%).
with

messages as (
    select * from {{ ref('fct_campaign_messages') }}
    where
        campaign_session_id is not null
        and (channel = 'live_reminder' or objective = 'live_reminder')
),

live_sessions as (
    select * from {{ ref('int_live_sessions_localised') }}
),

live_events {{ not_materialized() }} (
    select * from {{ ref('int_live_events_resolved') }}
    where not _is_deleted and event_type = 'join' and customer_key is not null
),

orders as (
    select * from {{ ref('int_orders_enriched') }}
    where is_qualifying and live_session_id is not null
),

reminded_people as (
    select
        campaign_session_id as session_id,
        customer_key,
        bool_or(not is_control) as is_reminded,
        bool_or(not is_control and is_delivered) as is_delivered,
        bool_or(not is_control and is_opened) as is_opened,
        bool_or(not is_control and is_clicked) as is_clicked,
        min(sent_at) as first_sent_at
    from messages
    group by campaign_session_id, customer_key
),

broadcasts as (
    select
        reminded_people.session_id,
        live_sessions.market_country_code,
        live_sessions.started_at,
        live_sessions.started_at_local,
        live_sessions.host_id,
        min(reminded_people.first_sent_at) as first_reminder_at
    from reminded_people
    inner join live_sessions
        on reminded_people.session_id = live_sessions.session_id
    group by all
),

attendance as (
    select distinct
        session_id,
        customer_key
    from live_events
),

purchases as (
    select distinct
        live_session_id as session_id,
        customer_key
    from orders
),

recent_viewers as (
    -- people who joined a broadcast of the same market shortly before the first reminder
    select distinct
        broadcasts.session_id,
        live_events.customer_key
    from broadcasts
    inner join live_sessions as watched
        on
            broadcasts.market_country_code = watched.market_country_code
            -- only broadcasts that can hold joins in the window (a join lies within a day of its start)
            and watched.started_at >= broadcasts.first_reminder_at
            - interval {{ var('live_reminder_comparison_days') }} day - interval 1 day
            and broadcasts.first_reminder_at > watched.started_at
    inner join live_events
        on watched.session_id = live_events.session_id
    where
        live_events.event_at >= broadcasts.first_reminder_at - interval {{ var('live_reminder_comparison_days') }} day
        and live_events.event_at < broadcasts.first_reminder_at
),

people as (
    select
        session_id,
        customer_key,
        case when is_reminded then 'reminded' else 'control' end as arm,
        is_delivered,
        is_opened,
        is_clicked
    from reminded_people
    union all
    select
        recent_viewers.session_id,
        recent_viewers.customer_key,
        'not_reminded' as arm,
        false as is_delivered,
        false as is_opened,
        false as is_clicked
    from recent_viewers
    left join reminded_people
        on
            recent_viewers.session_id = reminded_people.session_id
            and recent_viewers.customer_key = reminded_people.customer_key
    where reminded_people.customer_key is null
),

outcomes as (
    select
        people.*,
        attendance.customer_key is not null as has_attended,
        purchases.customer_key is not null as has_bought
    from people
    left join attendance
        on people.session_id = attendance.session_id and people.customer_key = attendance.customer_key
    left join purchases
        on people.session_id = purchases.session_id and people.customer_key = purchases.customer_key
),

counted as (
    select
        session_id,
        count(*) filter (where arm = 'reminded') as reminded_people,
        count(*) filter (where arm = 'reminded' and is_delivered) as delivered,
        count(*) filter (where arm = 'reminded' and is_opened) as opened,
        count(*) filter (where arm = 'reminded' and is_clicked) as clicked,
        count(*) filter (where arm = 'reminded' and has_attended) as reminded_attended,
        count(*) filter (where arm = 'reminded' and has_bought) as reminded_bought,
        count(*) filter (where arm = 'control') as control_people,
        count(*) filter (where arm = 'control' and has_attended) as control_attended,
        count(*) filter (where arm = 'control' and has_bought) as control_bought,
        count(*) filter (where arm = 'not_reminded') as not_reminded_people,
        count(*) filter (where arm = 'not_reminded' and has_attended) as not_reminded_attended,
        count(*) filter (where arm = 'not_reminded' and has_bought) as not_reminded_bought
    from outcomes
    group by session_id
),

final as (
    select
        broadcasts.session_id,
        broadcasts.market_country_code,
        broadcasts.host_id,
        broadcasts.started_at,
        broadcasts.started_at_local,
        broadcasts.first_reminder_at,
        counted.reminded_people,
        counted.delivered,
        counted.opened,
        counted.clicked,
        counted.reminded_attended,
        counted.reminded_bought,
        counted.control_people,
        counted.control_attended,
        counted.control_bought,
        counted.not_reminded_people,
        counted.not_reminded_attended,
        counted.not_reminded_bought,
        counted.opened / nullif(counted.reminded_people, 0)::double as reminded_open_rate,
        counted.reminded_attended / nullif(counted.reminded_people, 0)::double as reminded_attendance_rate,
        counted.control_attended / nullif(counted.control_people, 0)::double as control_attendance_rate,
        counted.not_reminded_attended / nullif(counted.not_reminded_people, 0)::double as not_reminded_attendance_rate,
        counted.reminded_bought / nullif(counted.reminded_people, 0)::double as reminded_buyer_rate,
        counted.control_bought / nullif(counted.control_people, 0)::double as control_buyer_rate,
        counted.not_reminded_bought / nullif(counted.not_reminded_people, 0)::double as not_reminded_buyer_rate,
        counted.reminded_attended / nullif(counted.reminded_people, 0)::double
        - counted.control_attended / nullif(counted.control_people, 0)::double as attendance_uplift,
        {{ uplift_newcombe_bound('counted.reminded_attended', 'counted.reminded_people',
            'counted.control_attended', 'counted.control_people', 'low') }} as attendance_uplift_lower,
        {{ uplift_newcombe_bound('counted.reminded_attended', 'counted.reminded_people',
            'counted.control_attended', 'counted.control_people', 'high') }} as attendance_uplift_upper,
        counted.reminded_bought / nullif(counted.reminded_people, 0)::double
        - counted.control_bought / nullif(counted.control_people, 0)::double as buyer_uplift,
        {{ uplift_newcombe_bound('counted.reminded_bought', 'counted.reminded_people',
            'counted.control_bought', 'counted.control_people', 'low') }} as buyer_uplift_lower,
        {{ uplift_newcombe_bound('counted.reminded_bought', 'counted.reminded_people',
            'counted.control_bought', 'counted.control_people', 'high') }} as buyer_uplift_upper
    from broadcasts
    inner join counted
        on broadcasts.session_id = counted.session_id
)

select * from final
