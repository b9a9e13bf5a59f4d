-- The dates at which segments are evaluated: the end of every ISO week (Monday to Sunday) and
-- every calendar month from the first day with any activity up to the observation end, and the
-- observation end itself, which closes the current (possibly partial) week and month. One row
-- per date; a Sunday that is also a month end is one row with both flags.
with

observation_end as (
    select * from {{ ref('int_observation_end') }}
),

daily_activity as (
    select * from {{ ref('int_customer_daily_activity') }}
    where not _is_deleted
),

date_range as (
    select
        observation_end.as_of_date,
        least(coalesce(min(daily_activity.activity_date), observation_end.as_of_date), observation_end.as_of_date)
            as first_date
    from observation_end
    left join daily_activity
        on true
    group by observation_end.as_of_date
),

week_ends as (
    select
        'week' as period_type,
        period_start_date,
        least(period_start_date + 6, as_of_date) as segment_date
    from (
        select
            {{ unnest_date_series("date_trunc('week', first_date)", 'as_of_date', 'interval 7 day') }}
                as period_start_date,
            as_of_date
        from date_range
    ) as weeks
),

month_ends as (
    select
        'month' as period_type,
        period_start_date,
        least(last_day(period_start_date), as_of_date) as segment_date
    from (
        select
            {{ unnest_date_series("date_trunc('month', first_date)", 'as_of_date', 'interval 1 month') }}
                as period_start_date,
            as_of_date
        from date_range
    ) as months
),

period_ends as (
    select * from week_ends
    union all
    select * from month_ends
),

final as (
    select
        period_ends.segment_date,
        bool_or(period_ends.period_type = 'week') as is_week_end,
        bool_or(period_ends.period_type = 'month') as is_month_end,
        max(period_ends.period_start_date) filter (where period_ends.period_type = 'week') as week_start_date,
        max(period_ends.period_start_date) filter (where period_ends.period_type = 'month') as month_start_date,
        period_ends.segment_date = any_value(date_range.as_of_date) as is_observation_end
    from period_ends
    cross join date_range
    group by period_ends.segment_date
)

select * from final
