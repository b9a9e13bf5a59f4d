-- The Wilson score interval macro against published 95% reference values (Newcombe 1998,
-- Table I; and the textbook 5 of 10 and 0 of 10 cases), to 4 decimals; null for 0 trials.
with

reference_values as (
    select
        published.successes,
        published.trials,
        published.expected_low,
        published.expected_high
    from (
        values
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
        (5, 10, 0.2366, 0.7634),
        (0, 10, 0.0000, 0.2775),
        (10, 10, 0.7225, 1.0000)
    ) as published (successes, trials, expected_low, expected_high)
),

computed as (
    select
        *,
        {{ repurchase_wilson_bound('successes', 'trials', 'low') }} as computed_low,
        {{ repurchase_wilson_bound('successes', 'trials', 'high') }} as computed_high
    from reference_values
),

zero_trials as (
    select
        0 as successes,
        0 as trials,
        null as expected_low,
        null as expected_high,
        {{ repurchase_wilson_bound('0', '0', 'low') }} as computed_low,
        {{ repurchase_wilson_bound('0', '0', 'high') }} as computed_high
)

select
    successes,
    trials,
    expected_low,
    expected_high,
    computed_low,
    computed_high
from computed
where abs(computed_low - expected_low) > 0.00005 or abs(computed_high - expected_high) > 0.00005
union all
select
    successes,
    trials,
    expected_low,
    expected_high,
    computed_low,
    computed_high
from zero_trials
where computed_low is not null or computed_high is not null
