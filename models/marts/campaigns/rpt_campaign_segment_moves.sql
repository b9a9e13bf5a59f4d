-- Which actions moved people between layers: for each campaign, of the people who were silent or
-- churned at a month end and got one of its messages in the following month (after that month end,
-- up to and including the next one), the share who are active at the next month end, for those sent
-- the message against those held out as its control group (a person with both counts as treated).
-- One row per campaign, starting stage and month end (period_scope = 'month'), and per campaign and
-- starting stage over all month ends (period_scope = 'all_months', month_end_date null; a person
-- counts once per month end). Only month ends whose next month end has passed by the observation
-- end. Uplift: treated - control share, 95% interval by Newcombe's hybrid score method; null
-- without a control group.
with

messages {{ not_materialized() }} (
    select * from {{ ref('fct_campaign_messages') }}
),

history {{ not_materialized() }} (
    select * from {{ ref('fct_customer_segment_history') }}
    where
        -- calendar month ends only: the observation end closes a partial month, not a whole one
        is_month_end
        and segment_date = last_day(segment_date)
        and customer_key in (select messages.customer_key from messages)
),

month_ends as (
    select
        segment_date as month_end_date,
        lead(segment_date) over (order by segment_date) as next_month_end_date
    from (select distinct segment_date from history) as dates
),

starting as (
    select
        history.customer_key,
        history.segment_date as month_end_date,
        month_ends.next_month_end_date,
        history.lifecycle_stage as stage_at_month_end
    from history
    inner join month_ends
        on history.segment_date = month_ends.month_end_date
    where
        history.lifecycle_stage in ('silent', 'churned')
        and month_ends.next_month_end_date is not null
),

messaged as (
    -- per person, campaign and month end: messaged in the following month, sent or held out
    select
        starting.customer_key,
        starting.month_end_date,
        starting.next_month_end_date,
        starting.stage_at_month_end,
        messages.campaign_id,
        any_value(messages.objective) as objective,
        any_value(messages.channel) as channel,
        bool_or(not messages.is_control) as is_treated
    from starting
    inner join messages
        on
            starting.customer_key = messages.customer_key
            and starting.month_end_date < messages.sent_date_local
            and starting.next_month_end_date >= messages.sent_date_local
    group by all
),

moved as (
    select
        messaged.*,
        coalesce(next_state.lifecycle_stage = 'active', false) as is_active_next
    from messaged
    left join history as next_state
        on
            messaged.customer_key = next_state.customer_key
            and messaged.next_month_end_date = next_state.segment_date
),

scoped as (
    -- each person-month counted for its month and again for all months together
    {%- for month_end_date, period_scope in [('month_end_date', 'month'), ('cast(null as date)', 'all_months')] %}
        select
            campaign_id,
            objective,
            channel,
            stage_at_month_end,
            is_treated,
            is_active_next,
            {{ month_end_date }} as month_end_date,
            '{{ period_scope }}' as period_scope
        from moved
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

counted as (
    select
        campaign_id,
        any_value(objective) as objective,
        any_value(channel) as channel,
        period_scope,
        month_end_date,
        stage_at_month_end,
        count(*) filter (where is_treated) as treated_people,
        count(*) filter (where not is_treated) as control_people,
        count(*) filter (where is_treated and is_active_next) as treated_active_next,
        count(*) filter (where not is_treated and is_active_next) as control_active_next
    from scoped
    group by campaign_id, period_scope, month_end_date, stage_at_month_end
),

final as (
    select
        campaign_id,
        objective,
        channel,
        period_scope,
        month_end_date,
        stage_at_month_end,
        treated_people,
        control_people,
        treated_active_next,
        control_active_next,
        treated_active_next / cast(nullif(treated_people, 0) as double) as treated_active_rate,
        control_active_next / cast(nullif(control_people, 0) as double) as control_active_rate,
        treated_active_next / cast(nullif(treated_people, 0) as double)
        - control_active_next / cast(nullif(control_people, 0) as double) as active_uplift,
        {{ uplift_newcombe_bound(
            'treated_active_next', 'treated_people', 'control_active_next', 'control_people', 'low'
        ) }} as active_uplift_lower,
        {{ uplift_newcombe_bound(
            'treated_active_next', 'treated_people', 'control_active_next', 'control_people', 'high'
        ) }} as active_uplift_upper
    from counted
)

select * from final
