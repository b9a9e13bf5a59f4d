-- The uplift interval macro (Newcombe's hybrid score interval for a difference of two proportions)
-- against the published 95% values of Newcombe (1998), Table II, method 10, to 4 decimals; null
-- when a group has no trials.
with

reference_values as (
    select *
    from (
        values
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (0, 10, 0, 20, -0.1611, 0.2775),
        (0, 10, 0, 10, -0.2775, 0.2775),
        (10, 10, 0, 20, 0.6791, 1.0000),
        (10, 10, 0, 10, 0.6075, 1.0000)
    ) as published (treated_successes, treated_trials, control_successes, control_trials, expected_low, expected_high)
),

computed as (
    select
        *,
        {{ uplift_newcombe_bound('treated_successes', 'treated_trials', 'control_successes', 'control_trials', 'low') }}
            as computed_low,
        {{ uplift_newcombe_bound('treated_successes', 'treated_trials', 'control_successes', 'control_trials', 'high') }}
            as computed_high
    from reference_values
),

no_control as (
    select
        {{ uplift_newcombe_bound('3', '10', '0', '0', 'low') }} as computed_low,
        {{ uplift_newcombe_bound('3', '10', '0', '0', 'high') }} as computed_high
)

select
    treated_successes,
    treated_trials,
    control_successes,
    control_trials,
    computed_low,
    computed_high
from computed
where abs(computed_low - expected_low) > 0.00005 or abs(computed_high - expected_high) > 0.00005
union all
select null, null, null, null, computed_low, computed_high
from no_control
where computed_low is not null or computed_high is not null
