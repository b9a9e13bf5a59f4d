{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='segment_date',
    on_schema_change='append_new_columns',
    pre_hook=[
        "{{ incremental_reset() }}",
        "{{ delete_segment_dates_from(ref('int_customer_daily_activity'), 'activity_date') }}"
    ],
    post_hook="{{ record_incremental_state() }}"
) }}
{%- set plan = incremental_plan() -%}
{%- set start = segment_history_start(plan, ref('int_customer_daily_activity'), 'activity_date') -%}
{%- set lookback_counts = ['interactions'] -%}
{%- for event_type in enum_values('live_interaction_type') -%}
    {%- do lookback_counts.append(event_type ~ 's') -%}
{%- endfor -%}
-- The state of every person at every evaluation date (int_segment_evaluation_dates), read
-- from the daily activity as if that date were the observation end: first and last active day,
-- last interaction and purchase, purchase days so far, the last purchase day's category and the
-- median gap between purchase days, and the look-back totals (interactions by type over
-- interaction_lookback_days, purchase days and net USD over rfm_lookback_days). "Within the last
-- N days" means 0 ... N days before the date. A person has rows from the first date they were
-- seen, and at the observation end always (has_appeared tells which).
--
-- One pass: the activity days, the days each look-back total loses a day (expiries) and the
-- evaluation dates form one timeline per person, and running window totals over it give the
-- state at each evaluation date (no join per date, so the cost grows with the rows, not with
-- rows x dates). Incremental by date: a run recomputes the dates from segment_history_start on,
-- starting the timeline from each person's state just before that date.
with

evaluation_dates as (
    select * from {{ ref('int_segment_evaluation_dates') }}
    {%- if start is not none %}
    where segment_date >= {{ start }}
    {%- endif %}
),

persons as (
    select
        customer_key,
        cast({{ utc_to_local('first_seen_at', 'market_time_zone') }} as date) as first_seen_date
    from {{ ref('int_persons_profiled') }}
),

daily_activity as (
    select * from {{ ref('int_customer_daily_activity') }}
    where not _is_deleted
),

purchase_days as (
    -- the median gap between consecutive purchase days so far, after each purchase day
    select
        customer_key,
        activity_date,
        median(gap_days) over (
            partition by customer_key order by activity_date rows between unbounded preceding and current row
        ) as median_purchase_gap_days
    from (
        select
            customer_key,
            activity_date,
            activity_date - lag(activity_date) over (partition by customer_key order by activity_date) as gap_days
        from daily_activity
        where is_purchase_day
    ) as purchase_day_gaps
),

days as (
    select
        daily_activity.*,
        purchase_days.median_purchase_gap_days
    from daily_activity
    left join purchase_days
        on
            daily_activity.customer_key = purchase_days.customer_key
            and daily_activity.activity_date = purchase_days.activity_date
),

timeline_days as (
    select
        customer_key,
        activity_date as at_date,
        1 as step,
        case when is_active_day then activity_date end as first_active_date,
        case when is_active_day then activity_date end as last_active_date,
        case when interactions > 0 then activity_date end as last_interaction_date,
        case when is_purchase_day then activity_date end as last_purchase_date,
        cast(is_purchase_day as integer) as purchase_days,
        purchase_category,
        median_purchase_gap_days,
        {%- for count in lookback_counts %}
            {{ count }} as {{ count }}_change,
        {%- endfor %}
        cast(is_purchase_day as integer) as rfm_purchase_days_change,
        case when is_purchase_day then net_usd else 0 end as rfm_net_usd_change
    from days
    {%- if start is not none %}
    where activity_date >= {{ start }}
    {%- endif %}
),

timeline_expiries as (
    -- the day an activity day leaves a look-back window: interaction_lookback_days + 1 or
    -- rfm_lookback_days + 1 days after it
    select
        customer_key,
        activity_date + {{ var('interaction_lookback_days') + 1 }} as at_date,
        2 as step,
        {%- for count in lookback_counts %}
            -{{ count }} as {{ count }}_change,
        {%- endfor %}
        0 as rfm_purchase_days_change,
        0 as rfm_net_usd_change
    from days
    where interactions > 0
    {%- if start is not none %}
        and activity_date + {{ var('interaction_lookback_days') + 1 }} >= {{ start }}
    {%- endif %}
    union all
    select
        customer_key,
        activity_date + {{ var('rfm_lookback_days') + 1 }} as at_date,
        2 as step,
        {%- for count in lookback_counts %}
            0 as {{ count }}_change,
        {%- endfor %}
        -1 as rfm_purchase_days_change,
        -net_usd as rfm_net_usd_change
    from days
    where is_purchase_day
    {%- if start is not none %}
        and activity_date + {{ var('rfm_lookback_days') + 1 }} >= {{ start }}
    {%- endif %}
),
{%- if start is not none %}

timeline_start as (
    -- each person's state on the day before the start: what the running totals begin from
    select
        customer_key,
        {{ start }} - 1 as at_date,
        0 as step,
        min(activity_date) filter (where is_active_day) as first_active_date,
        max(activity_date) filter (where is_active_day) as last_active_date,
        max(activity_date) filter (where interactions > 0) as last_interaction_date,
        max(activity_date) filter (where is_purchase_day) as last_purchase_date,
        cast(count(*) filter (where is_purchase_day) as integer) as purchase_days,
        arg_max(purchase_category, activity_date) filter (where is_purchase_day) as purchase_category,
        arg_max(median_purchase_gap_days, activity_date) filter (where is_purchase_day) as median_purchase_gap_days,
        {%- for count in lookback_counts %}
            coalesce(sum({{ count }}) filter (
                where activity_date >= {{ start }} - {{ var('interaction_lookback_days') + 1 }}
            ), 0) as {{ count }}_change,
        {%- endfor %}
        cast(count(*) filter (
            where is_purchase_day and activity_date >= {{ start }} - {{ var('rfm_lookback_days') + 1 }}
        ) as integer) as rfm_purchase_days_change,
        coalesce(sum(net_usd) filter (
            where is_purchase_day and activity_date >= {{ start }} - {{ var('rfm_lookback_days') + 1 }}
        ), 0) as rfm_net_usd_change
    from days
    where activity_date < {{ start }}
    group by customer_key
),
{%- endif %}

timeline_evaluations as (
    select
        persons.customer_key,
        evaluation_dates.segment_date as at_date,
        3 as step,
        persons.first_seen_date,
        evaluation_dates.is_week_end,
        evaluation_dates.is_month_end,
        evaluation_dates.week_start_date,
        evaluation_dates.month_start_date,
        evaluation_dates.is_observation_end,
        persons.first_seen_date <= evaluation_dates.segment_date as has_appeared
    from persons
    inner join evaluation_dates
        on persons.first_seen_date <= evaluation_dates.segment_date or evaluation_dates.is_observation_end
),

timeline as (
    select * from timeline_evaluations
    union all by name
    select * from timeline_days
    union all by name
    select * from timeline_expiries
    {%- if start is not none %}
    union all by name
    select * from timeline_start
    {%- endif %}
),

running as (
    select
        customer_key,
        at_date,
        step,
        first_seen_date,
        is_week_end,
        is_month_end,
        week_start_date,
        month_start_date,
        is_observation_end,
        has_appeared,
        min(first_active_date) over up_to_now as first_active_date,
        max(last_active_date) over up_to_now as last_active_date,
        max(last_interaction_date) over up_to_now as last_interaction_date,
        max(last_purchase_date) over up_to_now as last_purchase_date,
        sum(purchase_days) over up_to_now as purchase_days_to_date,
        last_value(purchase_category ignore nulls) over up_to_now as last_purchase_category,
        last_value(median_purchase_gap_days ignore nulls) over up_to_now as median_purchase_gap_days,
        {%- for count in lookback_counts %}
            sum({{ count }}_change) over up_to_now as {{ count }}_in_lookback,
        {%- endfor %}
        sum(rfm_purchase_days_change) over up_to_now as rfm_purchase_days,
        sum(rfm_net_usd_change) over up_to_now as rfm_net_usd
    from timeline
    window up_to_now as (
        partition by customer_key order by at_date, step rows between unbounded preceding and current row
    )
),

final as (
    select
        customer_key,
        at_date as segment_date,
        is_week_end,
        is_month_end,
        week_start_date,
        month_start_date,
        is_observation_end,
        first_seen_date,
        has_appeared,
        first_active_date,
        last_active_date,
        last_interaction_date,
        cast(coalesce(purchase_days_to_date, 0) as bigint) as purchase_days_to_date,
        last_purchase_date,
        last_purchase_category,
        cast(median_purchase_gap_days as double) as median_purchase_gap_days,
        {%- for count in lookback_counts %}
            cast(coalesce({{ count }}_in_lookback, 0) as bigint) as {{ count }}_in_lookback,
        {%- endfor %}
        cast(coalesce(rfm_purchase_days, 0) as bigint) as rfm_purchase_days,
        cast(coalesce(rfm_net_usd, 0) as decimal(18, 4)) as rfm_net_usd,
        {{ run_stamp() }} as _changed_at
    from running
    where step = 3
)

select * from final
