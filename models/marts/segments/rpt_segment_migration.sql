-- How people move between segments from one month end to the next, for lifecycle stage and
-- value tier: one row per (segment type, pair of consecutive months, from-segment,
-- to-segment) with the number of people. People first seen during the later month come from
-- 'not_yet_seen'. The last month ends at the observation end (is_to_month_complete = false
-- when that is not a calendar month end).
with

history {{ not_materialized() }} (
    select * from {{ ref('fct_customer_segment_history') }}
    where is_month_end
),

month_pairs as (
    select
        to_month.customer_key,
        cast(to_month.month_start_date - interval 1 month as date) as from_month_start_date,
        to_month.month_start_date as to_month_start_date,
        to_month.segment_date = last_day(to_month.month_start_date) as is_to_month_complete,
        coalesce(from_month.lifecycle_stage, 'not_yet_seen') as from_lifecycle_stage,
        to_month.lifecycle_stage as to_lifecycle_stage,
        coalesce(from_month.value_tier, 'not_yet_seen') as from_value_tier,
        to_month.value_tier as to_value_tier
    from history as to_month
    left join history as from_month
        on
            to_month.customer_key = from_month.customer_key
            and from_month.month_start_date = cast(to_month.month_start_date - interval 1 month as date)
    where to_month.month_start_date > (select min(history.month_start_date) from history)
),

moves as (
    select
        'lifecycle_stage' as segment_type,
        from_month_start_date,
        to_month_start_date,
        is_to_month_complete,
        from_lifecycle_stage as from_segment,
        to_lifecycle_stage as to_segment
    from month_pairs

    union all

    select
        'value_tier' as segment_type,
        from_month_start_date,
        to_month_start_date,
        is_to_month_complete,
        from_value_tier as from_segment,
        to_value_tier as to_segment
    from month_pairs
),

counted as (
    select
        segment_type,
        from_month_start_date,
        to_month_start_date,
        is_to_month_complete,
        from_segment,
        to_segment,
        count(*) as people
    from moves
    group by all
),

final as (
    select
        *,
        from_segment != to_segment as is_move,
        people / sum(people) over (
            partition by segment_type, from_month_start_date, from_segment
        ) as share_of_from_segment
    from counted
)

select * from final
