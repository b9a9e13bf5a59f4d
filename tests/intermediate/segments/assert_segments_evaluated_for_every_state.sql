-- Incremental bookkeeping of the segment history: after any sequence of runs,
-- int_customer_segments_evaluated has exactly one row per row of int_customer_segment_states
-- (person and evaluation date) and int_customer_segment_states one per person and evaluation
-- date of int_segment_evaluation_dates from the person's first-seen date (plus the observation
-- end): no date left over from an earlier observation end, none missing.
with

states as (
    select
        customer_key,
        segment_date
    from {{ ref('int_customer_segment_states') }}
),

evaluated as (
    select
        customer_key,
        segment_date
    from {{ ref('int_customer_segments_evaluated') }}
),

expected as (
    select
        persons.customer_key,
        dates.segment_date
    from {{ ref('int_persons_profiled') }} as persons
    inner join {{ ref('int_segment_evaluation_dates') }} as dates
        on
            cast({{ utc_to_local('persons.first_seen_at', 'persons.market_time_zone') }} as date) <= dates.segment_date
            or dates.is_observation_end
)

select
    coalesce(expected.customer_key, states.customer_key, evaluated.customer_key) as customer_key,
    coalesce(expected.segment_date, states.segment_date, evaluated.segment_date) as segment_date,
    expected.customer_key is not null as is_expected,
    states.customer_key is not null as has_state,
    evaluated.customer_key is not null as is_evaluated
from expected
full outer join states
    on expected.customer_key = states.customer_key and expected.segment_date = states.segment_date
full outer join evaluated
    on
        coalesce(expected.customer_key, states.customer_key) = evaluated.customer_key
        and coalesce(expected.segment_date, states.segment_date) = evaluated.segment_date
where expected.customer_key is null or states.customer_key is null or evaluated.customer_key is null
