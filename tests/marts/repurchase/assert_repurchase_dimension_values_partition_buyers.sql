-- Each buyer has exactly one value per dimension: for every dimension and window, buyers,
-- eligible buyers and repurchasers over its values add up to the all-cohorts row of
-- fct_cohort_repurchase, and the overall rate equals that row's rate.
with

by_dimension as (
    select * from {{ ref('rpt_repurchase_by_dimension') }}
),

cohorts as (
    select * from {{ ref('fct_cohort_repurchase') }}
    where cohort_grain = 'all'
),

per_dimension as (
    select
        dimension,
        window_days,
        sum(buyers) as buyers,
        sum(eligible_customers) as eligible_customers,
        sum(repurchasers) as repurchasers,
        min(overall_repurchase_rate) as min_overall_rate,
        max(overall_repurchase_rate) as max_overall_rate
    from by_dimension
    group by dimension, window_days
)

select
    per_dimension.*,
    cohorts.cohort_size,
    cohorts.eligible_customers as all_eligible_customers,
    cohorts.repurchasers as all_repurchasers,
    cohorts.repurchase_rate
from per_dimension
left join cohorts
    on per_dimension.window_days = cohorts.window_days
where
    cohorts.window_days is null
    or per_dimension.buyers != cohorts.cohort_size
    or per_dimension.eligible_customers != cohorts.eligible_customers
    or per_dimension.repurchasers != cohorts.repurchasers
    or per_dimension.min_overall_rate is distinct from cohorts.repurchase_rate
    or per_dimension.max_overall_rate is distinct from cohorts.repurchase_rate
