{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ prepare_segment_increment(ref('int_segment_evaluation_dates'), 'states') }}",
    post_hook=["{{ drop_segment_work() }}", "{{ record_incremental_state() }}"]
) }}
{%- set increment = segment_increment(ref('int_segment_evaluation_dates')) -%}
{#- the history needs interactions (depth tier) and shares (KOC) in the look-back; the other
    interaction types are counted at the observation end only (dim_customer_segments) -#}
{%- set lookback_counts = ['interactions', 'shares'] -%}
{#- the first evaluation date (index) this run computes for a person -#}
{%- if increment.incremental -%}
    {%- set start_index = 'case when recompute_people.customer_key is null then held_end_index.date_index else 1 end' -%}
{%- else -%}
    {%- set start_index = '1' -%}
{%- endif -%}
-- The state of every person at every evaluation date (int_segment_evaluation_dates), read from
-- the daily activity as if that date were the observation end: last active day, last
-- interaction, last purchase day (its category and the median gap between purchase days so
-- far), purchase days so far, and the look-back totals (interactions and shares over
-- interaction_lookback_days, purchase days and net USD over rfm_lookback_days). "Within the
-- last N days" means 0 ... N days before the date. A person has rows from the first date they
-- were seen, and at the observation end always (has_appeared tells which).
--
-- Without a person x date join: each activity day, and each day it leaves a look-back window
-- (a negative change), is put in the bucket of the first evaluation date on or after it; running
-- totals over a person's buckets give the state from that evaluation date until the next bucket,
-- which is then spread over those dates. Incremental (macros/incremental/segment_increment.sql):
-- a person whose past did not change is recomputed from the last date held on (start_index;
-- their earlier changes fall into that bucket); the people in the run's work table from the
-- first date.
with

evaluation_dates as (
    select
        *,
        row_number() over (order by segment_date) as date_index
    from {{ ref('int_segment_evaluation_dates') }}
),

last_date_index as (
    select max(date_index) as date_index from evaluation_dates
),
{%- if increment.incremental %}

recompute_people as (
    select customer_key from {{ segment_work_relation() }} where kind = 'person'
),

held_end_index as (
    select min(date_index) as date_index from evaluation_dates where segment_date >= {{ increment.held_end }}
),
{%- endif %}

persons as (
    -- start_index: the first evaluation date this run computes for the person
    select
        persons.customer_key,
        cast({{ utc_to_local('persons.first_seen_at', 'persons.market_time_zone') }} as date) as first_seen_date,
        {{ start_index }} as start_index
    from {{ ref('int_persons_profiled') }} as persons
    {%- if increment.incremental %}
    left join recompute_people
        on persons.customer_key = recompute_people.customer_key
    cross join held_end_index
    {%- endif %}
),

daily_activity {{ not_materialized() }} (
    select * from {{ ref('int_customer_daily_activity') }}
    where not _is_deleted
),

purchase_gaps as (
    -- after each purchase day: the median gap between consecutive purchase days so far
    select
        customer_key,
        activity_date,
        {{ running_median('gap_days', 'customer_key', 'activity_date') }} as median_gap_days
    from (
        select
            customer_key,
            activity_date,
            {{ days_between(
                'lag(activity_date) over (partition by customer_key order by activity_date)', 'activity_date'
            ) }} as gap_days
        from daily_activity
        where is_purchase_day
    ) as purchase_day_gaps
),

changes as (
    -- what each day adds, and what it takes away the day it leaves a look-back window
    select
        daily_activity.customer_key,
        daily_activity.activity_date as changed_on,
        case when daily_activity.is_active_day then daily_activity.activity_date end as last_active_date,
        case when daily_activity.interactions > 0 then daily_activity.activity_date end as last_interaction_date,
        case
            when daily_activity.is_purchase_day
                then {{ struct_of([
                    ('purchase_date', 'daily_activity.activity_date'),
                    ('category', 'daily_activity.purchase_category'),
                    ('median_gap_days', 'purchase_gaps.median_gap_days'),
                ]) }}
        end as last_purchase,
        cast(daily_activity.is_purchase_day as integer) as purchase_days,
        {%- for count in lookback_counts %}
            daily_activity.{{ count }} as {{ count }}_change,
        {%- endfor %}
        cast(daily_activity.is_purchase_day as integer) as rfm_purchase_days_change,
        case when daily_activity.is_purchase_day then daily_activity.net_usd else 0 end as rfm_net_usd_change
    from daily_activity
    left join purchase_gaps
        on
            daily_activity.customer_key = purchase_gaps.customer_key
            and daily_activity.activity_date = purchase_gaps.activity_date
    union all
    -- the day an interaction leaves the look-back window (the other changes: none)
    select
        customer_key,
        activity_date + {{ var('interaction_lookback_days') + 1 }} as changed_on,
        null as last_active_date,
        null as last_interaction_date,
        null as last_purchase,
        null as purchase_days,
        {%- for count in lookback_counts %}
            -{{ count }} as {{ count }}_change,
        {%- endfor %}
        null as rfm_purchase_days_change,
        null as rfm_net_usd_change
    from daily_activity
    where interactions > 0
    union all
    -- the day a purchase day leaves the RFM look-back window
    select
        customer_key,
        activity_date + {{ var('rfm_lookback_days') + 1 }} as changed_on,
        null as last_active_date,
        null as last_interaction_date,
        null as last_purchase,
        null as purchase_days,
        {%- for count in lookback_counts %}
            null as {{ count }}_change,
        {%- endfor %}
        -1 as rfm_purchase_days_change,
        -net_usd as rfm_net_usd_change
    from daily_activity
    where is_purchase_day
),

bucketed_changes as (
    -- each change in the bucket of the first evaluation date on or after it, and not before the
    -- person's start_index
    select
        changes.*,
        greatest(evaluation_dates.date_index, {{ start_index }}) as date_index
    from changes
    {{ asof_join('inner', 'evaluation_dates', 'evaluation_dates', [], 'changes.changed_on', '<=', 'segment_date') }}
    {%- if increment.incremental %}
    left join recompute_people
        on changes.customer_key = recompute_people.customer_key
    cross join held_end_index
    {%- endif %}
),

buckets as (
    -- per person and evaluation date: the changes since the previous evaluation date
    select
        changes.customer_key,
        changes.date_index,
        max(changes.last_active_date) as last_active_date,
        max(changes.last_interaction_date) as last_interaction_date,
        {{ arg_max('changes.last_purchase', [struct_field('changes.last_purchase', 'purchase_date')]) }}
            as last_purchase,
        sum(changes.purchase_days) as purchase_days,
        {%- for count in lookback_counts %}
            sum(changes.{{ count }}_change) as {{ count }}_change,
        {%- endfor %}
        sum(changes.rfm_purchase_days_change) as rfm_purchase_days_change,
        sum(changes.rfm_net_usd_change) as rfm_net_usd_change
    from bucketed_changes as changes
    group by changes.customer_key, changes.date_index
),

running as (
    select
        buckets.customer_key,
        buckets.date_index,
        coalesce(
            lead(buckets.date_index) over person_buckets, last_date_index.date_index + 1
        ) as next_date_index,
        max(buckets.last_active_date) over up_to_now as last_active_date,
        max(buckets.last_interaction_date) over up_to_now as last_interaction_date,
        {{ last_value_ignore_nulls('buckets.last_purchase') }} over up_to_now as last_purchase,
        sum(buckets.purchase_days) over up_to_now as purchase_days_to_date,
        {%- for count in lookback_counts %}
            sum(buckets.{{ count }}_change) over up_to_now as {{ count }}_in_lookback,
        {%- endfor %}
        sum(buckets.rfm_purchase_days_change) over up_to_now as rfm_purchase_days,
        sum(buckets.rfm_net_usd_change) over up_to_now as rfm_net_usd
    from buckets
    cross join last_date_index
    window
        person_buckets as (partition by buckets.customer_key order by buckets.date_index),
        up_to_now as (
            partition by buckets.customer_key order by buckets.date_index
            rows between unbounded preceding and current row
        )
),

spans as (
    -- the evaluation dates each state holds for; before a person's first bucket they have none
    select
        customer_key,
        date_index as from_index,
        next_date_index as to_index,
        last_active_date,
        last_interaction_date,
        last_purchase,
        purchase_days_to_date,
        {%- for count in lookback_counts %}
            {{ count }}_in_lookback,
        {%- endfor %}
        rfm_purchase_days,
        rfm_net_usd
    from running
    union all
    -- from the first evaluation date a person was seen to their first bucket: no state yet
    select
        persons.customer_key,
        greatest(coalesce(first_seen.date_index, last_date_index.date_index), persons.start_index) as from_index,
        coalesce(min(buckets.date_index), last_date_index.date_index + 1) as to_index,
        null as last_active_date,
        null as last_interaction_date,
        null as last_purchase,
        null as purchase_days_to_date,
        {%- for count in lookback_counts %}
            null as {{ count }}_in_lookback,
        {%- endfor %}
        null as rfm_purchase_days,
        null as rfm_net_usd
    from persons
    cross join last_date_index
    {{ asof_join('left', 'evaluation_dates', 'first_seen', [], 'persons.first_seen_date', '<=', 'segment_date') }}
    left join buckets
        on persons.customer_key = buckets.customer_key
    group by persons.customer_key, persons.start_index, first_seen.date_index, last_date_index.date_index
),

states as (
    select
        spans.*,
        {{ unnest_integer_range('spans.from_index', 'spans.to_index') }} as date_index
    from spans
    where spans.from_index < spans.to_index
),

first_activity as (
    -- a person's first active day is the same at every date it has passed
    select
        customer_key,
        min(activity_date) filter (where is_active_day) as first_active_date
    from daily_activity
    group by customer_key
),

final as (
    select
        states.customer_key,
        evaluation_dates.segment_date,
        evaluation_dates.is_week_end,
        evaluation_dates.is_month_end,
        evaluation_dates.week_start_date,
        evaluation_dates.month_start_date,
        evaluation_dates.is_observation_end,
        persons.first_seen_date,
        persons.first_seen_date <= evaluation_dates.segment_date as has_appeared,
        case
            when first_activity.first_active_date <= evaluation_dates.segment_date then first_activity.first_active_date
        end as first_active_date,
        states.last_active_date,
        states.last_interaction_date,
        cast(coalesce(states.purchase_days_to_date, 0) as bigint) as purchase_days_to_date,
        {{ struct_field('states.last_purchase', 'purchase_date') }} as last_purchase_date,
        {{ struct_field('states.last_purchase', 'category') }} as last_purchase_category,
        cast({{ struct_field('states.last_purchase', 'median_gap_days') }} as double) as median_purchase_gap_days,
        {%- for count in lookback_counts %}
            cast(coalesce(states.{{ count }}_in_lookback, 0) as bigint) as {{ count }}_in_lookback,
        {%- endfor %}
        cast(coalesce(states.rfm_purchase_days, 0) as bigint) as rfm_purchase_days,
        cast(coalesce(states.rfm_net_usd, 0) as decimal(18, 4)) as rfm_net_usd,
        {{ run_stamp() }} as _changed_at
    from states
    inner join evaluation_dates
        on states.date_index = evaluation_dates.date_index
    inner join persons
        on states.customer_key = persons.customer_key
    left join first_activity
        on states.customer_key = first_activity.customer_key
    where persons.first_seen_date <= evaluation_dates.segment_date or evaluation_dates.is_observation_end
)

select * from final
