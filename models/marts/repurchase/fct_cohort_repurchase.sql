-- One row per acquisition cohort (month and ISO week grain, plus one all-cohorts row) and
-- repurchase window: cohort size, eligible and censored buyers, repurchasers, the censored
-- N-day repurchase rate (repurchasers / eligible, null when nobody is eligible yet) and, for
-- comparison, the naive rate (everyone who has repurchased so far / cohort size).
with

buyers as (
    select * from {{ ref('int_buyers_profiled') }}
),

buyer_windows as (
    select * from {{ ref('int_customer_repurchase_windows') }}
),

buyer_windows_with_cohorts as (
    select
        buyer_windows.*,
        buyers.cohort_month,
        buyers.cohort_week,
        buyers.cohort_iso_week
    from buyer_windows
    inner join buyers
        on buyer_windows.customer_key = buyers.customer_key
),

cohort_members as (
    select
        'month' as cohort_grain,
        {{ date_label('cohort_month', 'month') }} as cohort_label,
        cohort_month as cohort_start_date,
        window_days,
        customer_key,
        is_eligible,
        has_repurchased
    from buyer_windows_with_cohorts

    union all

    select
        'week' as cohort_grain,
        cohort_iso_week as cohort_label,
        cohort_week as cohort_start_date,
        window_days,
        customer_key,
        is_eligible,
        has_repurchased
    from buyer_windows_with_cohorts

    union all

    select
        'all' as cohort_grain,
        'all' as cohort_label,
        null as cohort_start_date,
        window_days,
        customer_key,
        is_eligible,
        has_repurchased
    from buyer_windows_with_cohorts
),

aggregated as (
    select
        cohort_grain,
        cohort_label,
        cohort_start_date,
        window_days,
        count(*) as cohort_size,
        count(*) filter (where is_eligible) as eligible_customers,
        count(*) filter (where not is_eligible) as censored_customers,
        count(*) filter (where is_eligible and has_repurchased) as repurchasers,
        count(*) filter (where has_repurchased) as repurchasers_observed
    from cohort_members
    group by cohort_grain, cohort_label, cohort_start_date, window_days
),

final as (
    select
        cohort_grain,
        cohort_label,
        cast(cohort_start_date as date) as cohort_start_date,
        case
            when cohort_grain = 'month' then cast(cohort_start_date + interval 1 month - interval 1 day as date)
            when cohort_grain = 'week' then cast(cohort_start_date + interval 6 day as date)
        end as cohort_end_date,
        window_days,
        cohort_size,
        eligible_customers,
        censored_customers,
        repurchasers,
        repurchasers / nullif(eligible_customers, 0) as repurchase_rate,
        repurchasers_observed,
        repurchasers_observed / cohort_size as naive_repurchase_rate
    from aggregated
)

select * from final
