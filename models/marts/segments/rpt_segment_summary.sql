-- Per period (ISO week and calendar month) and segment: people in the segment at the period
-- end, their share of everyone seen by then, how many of them bought in the period, their net
-- USD, the period repeat-buyer rate, and the playbook's suggested action and channel. Every
-- segment of the playbook (and any other segment observed) appears in every period, with
-- zeros when empty. Segment types lifecycle_stage, value_tier, interaction_depth_tier and
-- rfm_segment partition the people of a period (shares add up to 1); 'signal' rows
-- (koc_candidate, churn_early_warning, warm_not_buying) are flags that may overlap.
with

history {{ not_materialized() }} (
    select * from {{ ref('fct_customer_segment_history') }}
),

daily_activity as (
    select * from {{ ref('int_customer_daily_activity') }}
    where is_purchase_day and not _is_deleted
),

playbook as (
    select * from {{ ref('segment_playbook') }}
),

person_periods as (
    select
        customer_key,
        'week' as period_type,
        week_start_date as period_start_date,
        segment_date as period_end_date,
        segment_date = week_start_date + 6 as is_period_complete,
        lifecycle_stage,
        value_tier,
        interaction_depth_tier,
        rfm_segment,
        is_koc_candidate,
        is_churn_early_warning,
        is_warm_not_buying
    from history
    where is_week_end

    union all

    select
        customer_key,
        'month' as period_type,
        month_start_date as period_start_date,
        segment_date as period_end_date,
        segment_date = last_day(month_start_date) as is_period_complete,
        lifecycle_stage,
        value_tier,
        interaction_depth_tier,
        rfm_segment,
        is_koc_candidate,
        is_churn_early_warning,
        is_warm_not_buying
    from history
    where is_month_end
),

period_purchases as (
    select
        person_periods.customer_key,
        person_periods.period_type,
        person_periods.period_start_date,
        count(*) as purchase_days,
        cast(sum(daily_activity.qualifying_orders) as bigint) as qualifying_orders,
        sum(daily_activity.net_usd) as net_usd
    from person_periods
    inner join daily_activity
        on
            person_periods.customer_key = daily_activity.customer_key
            and daily_activity.activity_date between person_periods.period_start_date and person_periods.period_end_date
    group by person_periods.customer_key, person_periods.period_type, person_periods.period_start_date
),

person_period_figures as (
    select
        person_periods.*,
        coalesce(period_purchases.purchase_days, 0) as purchase_days,
        coalesce(period_purchases.qualifying_orders, 0) as qualifying_orders,
        coalesce(period_purchases.net_usd, 0) as net_usd
    from person_periods
    left join period_purchases
        on
            person_periods.customer_key = period_purchases.customer_key
            and person_periods.period_type = period_purchases.period_type
            and person_periods.period_start_date = period_purchases.period_start_date
),

period_cube as (
    -- people and figures per period and combination of segments: a few thousand rows per period
    -- instead of one per person, so the segment types below unfold a small table
    select
        period_type,
        period_start_date,
        lifecycle_stage,
        value_tier,
        interaction_depth_tier,
        coalesce(rfm_segment, 'non_buyer') as rfm_segment,
        is_koc_candidate,
        is_churn_early_warning,
        is_warm_not_buying,
        count(*) as people,
        count(*) filter (where purchase_days >= 1) as buyers,
        count(*) filter (where purchase_days >= 2) as repeat_buyers,
        sum(qualifying_orders) as qualifying_orders,
        sum(net_usd) as net_usd
    from person_period_figures
    group by
        period_type,
        period_start_date,
        lifecycle_stage,
        value_tier,
        interaction_depth_tier,
        coalesce(rfm_segment, 'non_buyer'),
        is_koc_candidate,
        is_churn_early_warning,
        is_warm_not_buying
),

memberships as (
    {%- for segment_type in ['lifecycle_stage', 'value_tier', 'interaction_depth_tier', 'rfm_segment'] %}
        select
            period_type,
            period_start_date,
            '{{ segment_type }}' as segment_type,
            {{ segment_type }} as segment,
            people,
            buyers,
            repeat_buyers,
            qualifying_orders,
            net_usd
        from period_cube
        union all
    {%- endfor %}
    {%- for signal in ['koc_candidate', 'churn_early_warning', 'warm_not_buying'] %}
        select
            period_type,
            period_start_date,
            'signal' as segment_type,
            '{{ signal }}' as segment,
            people,
            buyers,
            repeat_buyers,
            qualifying_orders,
            net_usd
        from period_cube
        where is_{{ signal }}
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

segment_figures as (
    select
        period_type,
        period_start_date,
        segment_type,
        segment,
        cast(sum(people) as bigint) as people,
        cast(sum(buyers) as bigint) as buyers,
        cast(sum(repeat_buyers) as bigint) as repeat_buyers,
        cast(sum(qualifying_orders) as bigint) as qualifying_orders,
        sum(net_usd) as net_usd
    from memberships
    group by period_type, period_start_date, segment_type, segment
),

periods as (
    select
        period_type,
        period_start_date,
        any_value(period_end_date) as period_end_date,
        bool_and(is_period_complete) as is_period_complete,
        count(*) as people_in_period
    from person_periods
    group by period_type, period_start_date
),

segment_catalog as (
    select
        segment_type,
        segment
    from playbook
    -- prediction segments exist at the observation end only (dim_customer_segments), not in the history
    where segment_type != 'prediction'
    union
    select distinct
        segment_type,
        segment
    from segment_figures
),

final as (
    select
        periods.period_type,
        periods.period_start_date,
        periods.period_end_date,
        periods.is_period_complete,
        segment_catalog.segment_type,
        segment_catalog.segment,
        coalesce(segment_figures.people, 0) as people,
        coalesce(segment_figures.people, 0) / periods.people_in_period as share_of_people,
        coalesce(segment_figures.buyers, 0) as buyers,
        coalesce(segment_figures.repeat_buyers, 0) as repeat_buyers,
        segment_figures.repeat_buyers / nullif(segment_figures.buyers, 0) as repeat_buyer_rate,
        coalesce(segment_figures.qualifying_orders, 0) as qualifying_orders,
        cast(coalesce(segment_figures.net_usd, 0) as decimal(18, 4)) as net_usd,
        playbook.suggested_action,
        playbook.suggested_channel
    from periods
    cross join segment_catalog
    left join segment_figures
        on
            periods.period_type = segment_figures.period_type
            and periods.period_start_date = segment_figures.period_start_date
            and segment_catalog.segment_type = segment_figures.segment_type
            and segment_catalog.segment = segment_figures.segment
    left join playbook
        on
            segment_catalog.segment_type = playbook.segment_type
            and segment_catalog.segment = playbook.segment
)

select * from final
