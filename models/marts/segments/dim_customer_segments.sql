-- One row per person (every person of dim_customers) with their segments as of the
-- observation end: the observation-end rows of int_customer_segments_evaluated (the same
-- implementation as fct_customer_segment_history) with the person's market, language and
-- acquisition channel, and the repeat-purchase predictions (fct_customer_predictions) with the
-- at-risk flag built on them.
with

segments as (
    select * from {{ ref('int_customer_segments_evaluated') }}
    where is_observation_end
),

customers as (
    select * from {{ ref('dim_customers') }}
),

daily_activity as (
    select * from {{ ref('int_customer_daily_activity') }}
    where not _is_deleted
),

observation_end as (
    select distinct segment_date from segments
),

interactions_by_type as (
    -- each interaction type in the look-back (0 ... interaction_lookback_days days before the
    -- observation end); the history carries the total and shares only
    select
        {%- for event_type in enum_values('live_interaction_type') %}
            sum(daily_activity.{{ event_type }}s) as {{ event_type }}s_in_lookback,
        {%- endfor %}
        daily_activity.customer_key
    from daily_activity
    inner join observation_end
        on
            daily_activity.activity_date <= observation_end.segment_date
            and daily_activity.activity_date >= observation_end.segment_date - {{ var('interaction_lookback_days') }}
    group by daily_activity.customer_key
),

predictions as (
    select * from {{ ref('fct_customer_predictions') }}
),

final as (
    select
        segments.customer_key,
        segments.segment_date as as_of_date,
        segments.first_seen_date,
        segments.lifecycle_stage,
        segments.first_activity_date,
        segments.last_activity_date,
        segments.days_since_last_activity,
        segments.last_interaction_date,
        segments.purchase_days_to_date,
        segments.last_purchase_date,
        segments.days_since_last_purchase,
        segments.last_purchase_category,
        segments.median_purchase_gap_days,
        segments.is_churn_early_warning,
        segments.is_warm_not_buying,
        segments.recency_days,
        segments.frequency_purchase_days,
        segments.monetary_net_usd,
        segments.r_score,
        segments.f_score,
        segments.m_score,
        segments.fm_mean_score,
        segments.rfm_segment,
        segments.value_tier,
        segments.interaction_depth_tier,
        segments.interactions_in_lookback,
        {%- for event_type in enum_values('live_interaction_type') %}
            {%- if event_type == 'share' %}
                segments.shares_in_lookback,
            {%- else %}
                cast(coalesce(interactions_by_type.{{ event_type }}s_in_lookback, 0) as bigint)
                    as {{ event_type }}s_in_lookback,
            {%- endif %}
        {%- endfor %}
        segments.is_koc_candidate,
        customers.market_region,
        customers.market_country_code,
        customers.language_code,
        customers.acquisition_channel,
        -- predictions (null for non-buyers and when the model could not be fitted)
        predictions.p_alive,
        predictions.expected_purchase_days_90d,
        predictions.predicted_12m_net_usd,
        coalesce(
            segments.value_tier = 'high_value'
            and predictions.p_alive < {{ var('prediction_at_risk_max_p_alive') }},
            false
        ) as is_high_value_at_risk
    from segments
    inner join customers
        on segments.customer_key = customers.customer_key
    left join interactions_by_type
        on segments.customer_key = interactions_by_type.customer_key
    left join predictions
        on segments.customer_key = predictions.customer_key
)

select * from final
