-- Every buyer is in exactly one cohort: per grain (month, week, all) and window, cohort sizes
-- add up to the buyers of fct_customer_repurchase, and eligible, censored and repurchasers add
-- up to the all-cohorts row; the retention matrix's cohorts add up to the same buyers.
with

buyers as (
    select count(*) as buyers from {{ ref('fct_customer_repurchase') }}
),

cohorts as (
    select * from {{ ref('fct_cohort_repurchase') }}
),

retention as (
    select * from {{ ref('fct_cohort_retention') }}
),

per_grain as (
    select
        cohort_grain,
        window_days,
        sum(cohort_size) as cohort_size,
        sum(eligible_customers) as eligible_customers,
        sum(censored_customers) as censored_customers,
        sum(repurchasers) as repurchasers
    from cohorts
    group by cohort_grain, window_days
),

all_cohorts as (
    select * from cohorts
    where cohort_grain = 'all'
),

grain_mismatches as (
    select
        per_grain.cohort_grain,
        per_grain.window_days,
        'cohort sizes or counts do not add up' as problem
    from per_grain
    cross join buyers
    left join all_cohorts
        on per_grain.window_days = all_cohorts.window_days
    where
        per_grain.cohort_size != buyers.buyers
        or all_cohorts.window_days is null
        or per_grain.eligible_customers != all_cohorts.eligible_customers
        or per_grain.censored_customers != all_cohorts.censored_customers
        or per_grain.repurchasers != all_cohorts.repurchasers
),

retention_mismatches as (
    select
        'retention' as cohort_grain,
        null as window_days,
        'retention cohorts do not add up to the buyers' as problem
    from retention
    cross join buyers
    where retention.months_since_first_purchase = 0
    group by buyers.buyers
    having sum(retention.cohort_size) != buyers.buyers
),

missing_windows as (
    select
        'all' as cohort_grain,
        null as window_days,
        'buyers without an all-cohorts row' as problem
    from buyers
    where buyers.buyers > 0 and not exists (select 1 from all_cohorts)
)

select * from grain_mismatches
union all
select * from retention_mismatches
union all
select * from missing_windows
