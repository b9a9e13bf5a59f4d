-- Per segment type and month pair, the migration counts add up to the people at the later
-- month end (by to-segment) and at the earlier month end (by from-segment, leaving out
-- people not yet seen).
with

migration as (
    select * from {{ ref('rpt_segment_migration') }}
),

history as (
    select * from {{ ref('fct_customer_segment_history') }}
    where is_month_end
),

history_counts as (
    select
        'lifecycle_stage' as segment_type,
        month_start_date,
        lifecycle_stage as segment,
        count(*) as people
    from history
    group by all
    union all
    select
        'value_tier' as segment_type,
        month_start_date,
        value_tier as segment,
        count(*) as people
    from history
    group by all
),

to_counts as (
    select
        segment_type,
        to_month_start_date as month_start_date,
        to_segment as segment,
        sum(people) as people
    from migration
    group by all
),

from_counts as (
    select
        segment_type,
        from_month_start_date as month_start_date,
        from_segment as segment,
        sum(people) as people
    from migration
    where from_segment != 'not_yet_seen'
    group by all
),

history_to as (
    select * from history_counts
    where month_start_date > (select min(history.month_start_date) from history)
),

history_from as (
    select * from history_counts
    where month_start_date < (select max(history.month_start_date) from history)
),

to_only_in_migration as (
    select * from to_counts
    except
    select * from history_to
),

to_only_in_history as (
    select * from history_to
    except
    select * from to_counts
),

from_only_in_migration as (
    select * from from_counts
    except
    select * from history_from
),

from_only_in_history as (
    select * from history_from
    except
    select * from from_counts
),

failures as (
    select
        'to: migration only' as side,
        *
    from to_only_in_migration
    union all
    select
        'to: history only' as side,
        *
    from to_only_in_history
    union all
    select
        'from: migration only' as side,
        *
    from from_only_in_migration
    union all
    select
        'from: history only' as side,
        *
    from from_only_in_history
)

select * from failures
