-- Erasure reaches the incremental tables: a tombstone of int_live_events_resolved left where an
-- event was erased keeps no person (customer_key), and no tombstone points at a person who no
-- longer exists unless its event was quarantined for another reason.
with

tombstones as (
    select
        _raw_row_number,
        customer_key
    from {{ ref('int_live_events_resolved') }}
    where _is_deleted
),

validated as (
    select
        _raw_row_number,
        quarantine_reason
    from {{ ref('int_live_events_validated') }}
)

select
    tombstones._raw_row_number,
    tombstones.customer_key,
    validated.quarantine_reason
from tombstones
inner join validated
    on tombstones._raw_row_number = validated._raw_row_number
where validated.quarantine_reason = 'erased' and tombstones.customer_key is not null
