-- Incremental bookkeeping of int_live_events_resolved: after any sequence of runs, its rows that
-- are not tombstones are exactly the accepted events of int_live_events_validated, one per raw
-- position, with the same event id and session (a change missed by a run, or a tombstone left on
-- an accepted event, shows up here).
with

accepted as (
    select
        _raw_row_number,
        event_id,
        session_id
    from {{ ref('int_live_events_validated') }}
    where quarantine_reason is null
),

resolved as (
    select
        _raw_row_number,
        event_id,
        session_id
    from {{ ref('int_live_events_resolved') }}
    where not _is_deleted
)

select
    coalesce(accepted._raw_row_number, resolved._raw_row_number) as raw_row_number,
    accepted.event_id as accepted_event_id,
    resolved.event_id as resolved_event_id
from accepted
full outer join resolved
    on accepted._raw_row_number = resolved._raw_row_number
where
    accepted._raw_row_number is null
    or resolved._raw_row_number is null
    or accepted.event_id is distinct from resolved.event_id
    or accepted.session_id is distinct from resolved.session_id
