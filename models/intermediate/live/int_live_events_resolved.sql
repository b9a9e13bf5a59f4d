{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='delete+insert',
    unique_key='_raw_row_number',
    on_schema_change='append_new_columns',
    pre_hook="{{ incremental_reset() }}",
    post_hook="{{ record_incremental_state() }}"
) }}
-- depends_on: {{ ref('int_live_sessions_validated') }}
{%- set plan = incremental_plan() -%}
-- One row per accepted live event, resolved to a person where known: directly when the viewer
-- was logged in, otherwise through the viewer id (an anonymous event belongs to the person of
-- the same viewer's next logged-in event, or failing that its latest earlier one, in the order
-- of time then event_id), and clipped to its session's window. The device's logged-in events
-- are first reduced to runs of one account, so only the anonymous events are matched against
-- them (no window over every event). The CTEs over every event are not materialized: DuckDB
-- would otherwise hold all of them in memory (or spill them) for their several readers.
--
-- Incremental: a run re-resolves every event of the viewers with a changed event, of the
-- viewers whose account moved to another person, and of the viewers in a changed broadcast;
-- a row keeps its _changed_at when its content is the same. A position that is no longer an
-- accepted event leaves a tombstone (_is_deleted, with its session and time only) so the models
-- downstream see the change; every reader filters tombstones out.
with

validated {{ not_materialized() }} (
    select * from {{ ref('int_live_events_validated') }}
),

accounts as (
    select * from {{ ref('int_accounts_stitched') }}
),

live_sessions as (
    select * from {{ ref('int_live_sessions_localised') }}
),

{%- if not plan.full %}

session_changes as (
    select * from {{ ref('int_live_sessions_validated') }}
),

changed_events as (
    select * from validated
    where _changed_at > {{ plan.since }}
),

dirty_viewers as (
    select viewer_id from changed_events
    union
    select validated.viewer_id
    from validated
    inner join accounts
        on validated.customer_id = accounts.customer_id
    where accounts._changed_at > {{ plan.since }}
    union
    select validated.viewer_id
    from validated
    inner join session_changes
        on validated.session_id = session_changes.session_id
    where session_changes._changed_at > {{ plan.since }}
),

live_events {{ not_materialized() }} (
    select validated.*
    from validated
    inner join dirty_viewers
        on validated.viewer_id = dirty_viewers.viewer_id
    where validated.quarantine_reason is null
),
{%- else %}

    live_events {{ not_materialized() }} (
        select * from validated
        where quarantine_reason is null
    ),
{%- endif %}

events_ordered {{ not_materialized() }} (
    -- the order events are read in: time, then event_id (unique among accepted events)
    select
        *,
        {{ struct_of([('at', 'event_at'), ('id', 'event_id')]) }} as event_order
    from live_events
),

logged_in {{ not_materialized() }} (
    select
        viewer_id,
        customer_id,
        event_order
    from events_ordered
    where customer_id is not null
),

viewer_accounts as (
    select
        viewer_id,
        customer_id,
        min(event_order) as first_order,
        max(event_order) as last_order
    from logged_in
    group by viewer_id, customer_id
),

shared_viewers as (
    -- devices logged in as more than one account (a family tablet): few
    select viewer_id
    from viewer_accounts
    group by viewer_id
    having count(*) > 1
),

shared_viewer_events as (
    -- on a shared device, a run number that stays the same over consecutive logged-in events of
    -- one account (the gaps-and-islands difference of two row numbers)
    select
        logged_in.*,
        row_number() over (partition by logged_in.viewer_id order by logged_in.event_order)
        - row_number() over (
            partition by logged_in.viewer_id, logged_in.customer_id order by logged_in.event_order
        ) as run_number
    from logged_in
    inner join shared_viewers
        on logged_in.viewer_id = shared_viewers.viewer_id
),

shared_viewer_runs as (
    select
        viewer_id,
        customer_id,
        min(event_order) as first_order,
        max(event_order) as last_order
    from shared_viewer_events
    group by viewer_id, customer_id, run_number
),

login_runs as (
    -- per device, the spans of logged-in events of one account, in order and never overlapping
    select viewer_accounts.*
    from viewer_accounts
    left join shared_viewers
        on viewer_accounts.viewer_id = shared_viewers.viewer_id
    where shared_viewers.viewer_id is null
    union all
    select * from shared_viewer_runs
),

anonymous {{ not_materialized() }} (
    select * from events_ordered
    where customer_id is null
),

anonymous_linked as (
    -- an anonymous event takes the account of the device's next logged-in event (the first run
    -- ending at or after it), or failing that of its latest earlier one (the last run starting
    -- before it)
    select
        anonymous.*,
        coalesce(next_run.customer_id, previous_run.customer_id) as linked_customer_id
    from anonymous
    {{ asof_join('left', 'login_runs', 'next_run', [('anonymous.viewer_id', 'viewer_id')],
        'anonymous.event_order', '<=', 'last_order') }}
    {{ asof_join('left', 'login_runs', 'previous_run', [('anonymous.viewer_id', 'viewer_id')],
        'anonymous.event_order', '>=', 'first_order') }}
),

resolved as (
    -- logged-in and anonymous events resolved apart and stacked: no join of every event with the
    -- anonymous ones (at a million accounts DuckDB built that join on the wide side and spilled
    -- tens of GB)
    select
        live_events.event_id,
        live_events.session_id,
        live_events.viewer_id,
        live_events.customer_id,
        live_events.event_type,
        live_events.event_at,
        live_events.product_id,
        live_events.amount,
        live_events.currency_code,
        live_events._raw_row_number,
        accounts.customer_key as logged_in_customer_key,
        accounts.customer_key
    from live_events
    left join accounts
        on live_events.customer_id = accounts.customer_id
    where live_events.customer_id is not null
    union all
    select
        anonymous_linked.event_id,
        anonymous_linked.session_id,
        anonymous_linked.viewer_id,
        anonymous_linked.customer_id,
        anonymous_linked.event_type,
        anonymous_linked.event_at,
        anonymous_linked.product_id,
        anonymous_linked.amount,
        anonymous_linked.currency_code,
        anonymous_linked._raw_row_number,
        cast(null as {{ text_type() }}) as logged_in_customer_key,
        accounts.customer_key
    from anonymous_linked
    left join accounts
        on anonymous_linked.linked_customer_id = accounts.customer_id
),

current_rows as (
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
        resolved.currency_code,
        resolved._raw_row_number,
        false as _is_deleted
    from resolved
    inner join live_sessions
        on resolved.session_id = live_sessions.session_id
),

hashed as (
    select
        *,
        {{ row_hash(['customer_key', 'identity_resolution', 'event_at_clipped', 'event_type', 'session_id']) }}
            as _row_hash
    from current_rows
),
{%- if not plan.full %}

removed as (
    -- stored events whose position is no longer an accepted event: tombstones (a tombstone left
    -- earlier is written again, so an erasure that comes later clears its person too)
    select
        previous._raw_row_number,
        previous.session_id,
        previous.event_at,
        case when changed_events.quarantine_reason != 'erased' then previous.customer_key end as customer_key,
        true as _is_deleted,
        cast(null as ubigint) as _row_hash
    from {{ this }} as previous
    inner join changed_events
        on previous._raw_row_number = changed_events._raw_row_number
    where changed_events.quarantine_reason is not null
),

final as (
    select
        hashed.*,
        case
            when previous._row_hash = hashed._row_hash and not previous._is_deleted then previous._changed_at
            else {{ run_stamp() }}
        end as _changed_at
    from hashed
    left join {{ this }} as previous
        on hashed._raw_row_number = previous._raw_row_number
    union all by name
    select
        *,
        {{ run_stamp() }} as _changed_at
    from removed
)
{%- else %}

    final as (
        select
            *,
            {{ run_stamp() }} as _changed_at
        from hashed
    )
{%- endif %}

select * from final
