-- int_live_events_resolved holds at most one row per raw position (an event or its tombstone),
-- and every accepted event of int_live_events_validated has a live (non-tombstone) row there.
with

resolved as (
    select * from {{ ref('int_live_events_resolved') }}
),

validated as (
    select * from {{ ref('int_live_events_validated') }}
    where quarantine_reason is null
),

repeated_positions as (
    select
        _raw_row_number,
        'position held more than once' as problem
    from resolved
    group by _raw_row_number
    having count(*) > 1
),

missing_events as (
    select
        validated._raw_row_number,
        'accepted event without a resolved row' as problem
    from validated
    left join resolved
        on validated._raw_row_number = resolved._raw_row_number and not resolved._is_deleted
    where resolved._raw_row_number is null
)

select * from repeated_positions
union all
select * from missing_events
