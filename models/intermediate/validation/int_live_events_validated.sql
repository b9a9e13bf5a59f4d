{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='delete+insert',
    unique_key='_raw_row_number',
    on_schema_change='append_new_columns',
    append_only_log='stg_shop__live_events',
    append_only_log_key='event_id',
    pre_hook="{{ incremental_reset() }}",
    post_hook="{{ record_incremental_state() }}"
) }}
{%- set plan = incremental_plan() -%}
{%- set columns = ['event_id', 'session_id', 'viewer_id', 'customer_id', 'event_type', 'event_at', 'product_id',
    'amount', 'currency_code'] %}
-- Every raw live event with its final quarantine reason (null = accepted). The session must
-- exist; a given customer_id must be a known account. Events more than live_event_grace_minutes
-- before the start or after the end of their session are quarantined (outside_session_window);
-- events inside the grace margin are kept and clipped to the session by the viewer models.
-- Events of erased accounts, and anonymous events of a device an erased account logged in on,
-- become count-only rows (keeping only their position and session); a duplicate event_id keeps
-- its first valid copy.
--
-- Incremental: live_events is an append-only log. A run validates the rows after the last
-- position already stored, and re-validates (from the raw file) stored rows whose outcome may
-- have changed: quarantined for a reference that may now exist, accepted rows whose session or
-- account is no longer accepted or whose session changed, rows of newly erased accounts, and
-- every row sharing an event_id with those. If the stored rows no longer match the file at
-- their positions (the file was rewritten, not appended to), the model rebuilds in full.
with

{%- if not plan.full %}

previous {{ not_materialized() }} (
    select * from {{ this }}
),

stored_extent as (
    select coalesce(max(_raw_row_number), 0) as last_position
    from previous
),
{%- endif %}

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

session_ids as (
    select distinct session_id
    from live_sessions
    where session_id is not null
),

accepted_sessions as (
    select
        session_id,
        started_at,
        ended_at,
        _changed_at
    from live_sessions
    where quarantine_reason is null
),

customer_status as (
    {{ parent_status('customers', 'customer_id') }}
),
{%- if not plan.full %}

recheck_positions as (
    -- stored rows whose outcome may differ now
    select previous._raw_row_number
    from previous
    left join accepted_sessions
        on previous.session_id = accepted_sessions.session_id
    left join customer_status
        on previous.customer_id = customer_status.customer_id
    left join erased_accounts
        on previous.customer_id = erased_accounts.customer_id
    left join erased_viewers
        on previous.viewer_id = erased_viewers.viewer_id and previous.customer_id is null
    where
        previous.quarantine_reason in ('unknown_session', 'unknown_customer', 'parent_quarantined', 'outside_session_window')
        or (
            previous.quarantine_reason is distinct from 'erased'
            and (
                erased_accounts.customer_id is not null
                or erased_viewers.viewer_id is not null
                or (previous.quarantine_reason is null and accepted_sessions.session_id is null)
                or accepted_sessions._changed_at > {{ plan.since }}
                or (previous.customer_id is not null and not coalesce(customer_status.has_accepted_row, false))
            )
        )
),

first_pass as (
    -- rows after the stored ones, and the stored rows to re-check, read again from the file
    select staged.*
    from {{ ref('stg_shop__live_events') }} as staged
    cross join stored_extent
    left join recheck_positions
        on staged._raw_row_number = recheck_positions._raw_row_number
    where
        (staged._raw_row_number > stored_extent.last_position or recheck_positions._raw_row_number is not null)
        and staged.is_after_observation_end is not true
),

sibling_positions as (
    -- stored rows with an event_id of the first pass: de-duplication is decided over all copies
    select previous._raw_row_number
    from previous
    inner join (select distinct event_id from first_pass) as first_pass_keys
        on previous.event_id = first_pass_keys.event_id
    left join first_pass
        on previous._raw_row_number = first_pass._raw_row_number
    where first_pass._raw_row_number is null
),

live_events as (
    select * from first_pass
    union all
    select staged.*
    from {{ ref('stg_shop__live_events') }} as staged
    inner join sibling_positions
        on staged._raw_row_number = sibling_positions._raw_row_number
    where staged.is_after_observation_end is not true
),
{%- else %}

    live_events {{ not_materialized() }} (
    -- read where it is used: the de-duplication reads only event_id of it
        select * from {{ ref('stg_shop__live_events') }}
        where is_after_observation_end is not true
    ),
{%- endif %}

erasure_checked {{ not_materialized() }} (
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

{{ duplicate_key_ctes('erasure_checked', ['event_id']) }},

checked as (
    select
        erasure_checked.*,
        case
            when erasure_checked.is_erased then 'erased'
            else coalesce(
                {{ duplicate_key_reason('erasure_checked') }},
                case
                    when session_ids.session_id is null then 'unknown_session'
                    when accepted_sessions.session_id is null then 'parent_quarantined'
                    when erasure_checked.customer_id is not null and customer_status.customer_id is null
                        then 'unknown_customer'
                    when erasure_checked.customer_id is not null and not customer_status.has_accepted_row
                        then 'parent_quarantined'
                    when
                        erasure_checked.event_at
                        < accepted_sessions.started_at - interval {{ var('live_event_grace_minutes') }} minute
                        or erasure_checked.event_at
                        > accepted_sessions.ended_at + interval {{ var('live_event_grace_minutes') }} minute
                        then 'outside_session_window'
                end
            )
        end as quarantine_reason
    from erasure_checked
    left join first_valid_copies
        on erasure_checked.event_id = first_valid_copies.event_id
    left join session_ids
        on erasure_checked.session_id = session_ids.session_id
    left join accepted_sessions
        on erasure_checked.session_id = accepted_sessions.session_id
    left join customer_status
        on erasure_checked.customer_id = customer_status.customer_id
),

final as (
    select
        {{ unless_erased('checked', columns, keep=['session_id']) }},
        checked.quarantine_reason,
        {{ rejected_row_record('checked', columns) }} as raw_record,
        checked._raw_row_number,
        {{ run_stamp() }} as _changed_at
    from checked
)

select * from final
