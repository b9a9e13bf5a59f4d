{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='_raw_row_number',
    on_schema_change='append_new_columns',
    pre_hook="{{ incremental_reset() }}",
    post_hook="{{ record_incremental_state() }}"
) }}
{%- set plan = incremental_plan() -%}
-- depends_on: {{ ref('int_live_sessions_validated') }}
-- One row per accepted live event, resolved to a person where known: directly when the viewer
-- was logged in, otherwise through the viewer id (an anonymous event belongs to the person of
-- the same viewer's next logged-in event, or failing that its latest earlier one), and clipped
-- to its session's window.
--
-- Incremental: a run re-resolves every event of the viewers with a changed event, of the
-- viewers whose account moved to another person, and of the viewers in a changed broadcast;
-- a row keeps its _changed_at when its content is the same. A position that is no longer an
-- accepted event leaves a tombstone (_is_deleted, with its session and time only) so the models
-- downstream see the change; every reader filters tombstones out.
with

validated as (
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
{%- endif %}

live_events as (
    {%- if not plan.full %}
        select validated.*
        from validated
        inner join dirty_viewers
            on validated.viewer_id = dirty_viewers.viewer_id
        where validated.quarantine_reason is null
    {%- else %}
        select * from validated
        where quarantine_reason is null
    {%- endif %}
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
        live_events.currency_code,
        live_events._raw_row_number
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
        hash(customer_key, identity_resolution, event_at_clipped, event_type, session_id) as _row_hash
    from current_rows
),
{%- if not plan.full %}

removed as (
    -- stored events whose position is no longer an accepted event: tombstones
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
    where changed_events.quarantine_reason is not null and not previous._is_deleted
),
{%- endif %}

final as (
    {%- if not plan.full %}
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
    {%- else %}
        select
            *,
            {{ run_stamp() }} as _changed_at
        from hashed
    {%- endif %}
)

select * from final
