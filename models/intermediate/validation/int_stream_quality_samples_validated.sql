{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='delete+insert',
    unique_key='_raw_row_number',
    on_schema_change='append_new_columns',
    append_only_log='stg_shop__stream_quality',
    append_only_log_key='session_id',
    pre_hook="{{ incremental_reset() }}",
    post_hook="{{ record_incremental_state() }}"
) }}
{%- set plan = incremental_plan() -%}
{%- set columns = ['session_id', 'sampled_at', 'viewer_id', 'country_code', 'latency_ms', 'freeze_ms', 'interval_ms'] %}
-- Every raw stream-quality sample with its final quarantine reason (null = accepted): its
-- session must exist and be accepted. Samples of a device an erased account logged in on
-- become count-only rows (keeping only their position and session).
--
-- Incremental like int_live_events_validated: stream_quality is an append-only log; a run
-- validates the rows after the last stored position and re-validates stored rows whose session
-- status changed or whose device was erased.
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

erased_viewers as (
    select * from {{ ref('int_erased_viewers') }}
),

live_sessions as (
    select * from {{ ref('int_live_sessions_validated') }}
),

session_status as (
    {{ parent_status('live_sessions', 'session_id') }}
),
{%- if not plan.full %}

recheck_positions as (
    select previous._raw_row_number
    from previous
    left join session_status
        on previous.session_id = session_status.session_id
    left join erased_viewers
        on previous.viewer_id = erased_viewers.viewer_id
    where
        previous.quarantine_reason in ('unknown_session', 'parent_quarantined')
        or (
            previous.quarantine_reason is null
            and (erased_viewers.viewer_id is not null or not coalesce(session_status.has_accepted_row, false))
        )
),

samples as (
    select staged.*
    from {{ ref('stg_shop__stream_quality') }} as staged
    cross join stored_extent
    left join recheck_positions
        on staged._raw_row_number = recheck_positions._raw_row_number
    where
        (staged._raw_row_number > stored_extent.last_position or recheck_positions._raw_row_number is not null)
        and staged.is_after_observation_end is not true
),
{%- else %}

    samples as (
        select * from {{ ref('stg_shop__stream_quality') }}
        where is_after_observation_end is not true
    ),
{%- endif %}

checked as (
    select
        samples.*,
        erased_viewers.viewer_id is not null as is_erased,
        case
            when erased_viewers.viewer_id is not null then 'erased'
            else coalesce(
                samples.row_defect,
                case
                    when session_status.session_id is null then 'unknown_session'
                    when not session_status.has_accepted_row then 'parent_quarantined'
                end
            )
        end as quarantine_reason
    from samples
    left join erased_viewers
        on samples.viewer_id = erased_viewers.viewer_id
    left join session_status
        on samples.session_id = session_status.session_id
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
