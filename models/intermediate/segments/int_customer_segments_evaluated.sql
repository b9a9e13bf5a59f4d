{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='segment_date',
    on_schema_change='append_new_columns',
    pre_hook=[
        "{{ incremental_reset() }}",
        "{{ delete_segment_dates_from(ref('int_customer_segment_states'), 'segment_date') }}"
    ],
    post_hook="{{ record_incremental_state() }}"
) }}
{%- set plan = incremental_plan() -%}
{%- set start = segment_history_start(plan, ref('int_customer_segment_states'), 'segment_date') -%}
{%- set lookback_counts = ['interactions'] -%}
{%- for event_type in enum_values('live_interaction_type') -%}
    {%- do lookback_counts.append(event_type ~ 's') -%}
{%- endfor -%}
{%- set rfm_scores = [('r_score', 'recency_rank'), ('f_score', 'frequency_rank'), ('m_score', 'monetary_rank')] -%}
-- The segments of every person at every evaluation date, each computed as if that date were the
-- observation end (from int_customer_segment_states): lifecycle stage, churn early warning,
-- warm-but-not-buying, RFM values, quintile scores, named segment and value tier, interaction
-- depth and KOC candidate. The one implementation behind dim_customer_segments (the
-- observation-end rows) and fct_customer_segment_history. RFM scores are quintiles among the
-- buyers with a purchase day in the look-back at that date; rank() gives equal values the same
-- rank, hence the same score. Incremental by date, from segment_history_start.
with

states as (
    select * from {{ ref('int_customer_segment_states') }}
    {%- if start is not none %}
    where segment_date >= {{ start }}
    {%- endif %}
),

rfm_segments as (
    select * from {{ ref('rfm_segments') }}
),

lifecycle as (
    select
        *,
        segment_date - last_active_date as days_since_last_activity,
        segment_date - last_purchase_date as days_since_last_purchase,
        case
            when last_active_date is null then 'never_active'
            when segment_date - first_active_date <= {{ var('new_days') }} then 'new'
            when segment_date - last_active_date <= {{ var('active_days') }} then 'active'
            when segment_date - last_active_date <= {{ var('churn_days') }} then 'silent'
            else 'churned'
        end as lifecycle_stage,
        {{ repurchase_interaction_depth('interactions_in_lookback') }} as interaction_depth_tier
    from states
),

flagged as (
    select
        *,
        coalesce(
            purchase_days_to_date >= 2
            and lifecycle_stage != 'churned'
            and days_since_last_purchase > {{ var('churn_warning_ratio') }} * median_purchase_gap_days,
            false
        ) as is_churn_early_warning,
        coalesce(
            days_since_last_purchase > {{ var('active_days') }}
            and segment_date - last_interaction_date <= {{ var('active_days') }},
            false
        ) as is_warm_not_buying,
        interaction_depth_tier = 'high' and shares_in_lookback >= {{ var('koc_min_shares') }} as is_koc_candidate
    from lifecycle
),

rfm_buyers as (
    -- the buyers with a purchase day in the look-back at each date, ranked
    select
        customer_key,
        segment_date,
        days_since_last_purchase as recency_days,
        rfm_purchase_days as frequency_purchase_days,
        rfm_net_usd as monetary_net_usd,
        count(*) over (partition by segment_date) as scored_buyers,
        rank() over (partition by segment_date order by days_since_last_purchase desc) as recency_rank,
        rank() over (partition by segment_date order by rfm_purchase_days) as frequency_rank,
        rank() over (partition by segment_date order by rfm_net_usd) as monetary_rank
    from flagged
    where rfm_purchase_days > 0
),

rfm_scored as (
    -- score = 1 + floor(5 x percent rank), capped at 5: the share of buyers strictly below a
    -- value decides its quintile (integer arithmetic, so no rounding at the cut points)
    select
        {%- for score, rank in rfm_scores %}
            cast(least(5, 1 + coalesce((5 * ({{ rank }} - 1)) // nullif(scored_buyers - 1, 0), 0)) as integer)
                as {{ score }},
        {%- endfor %}
        customer_key,
        segment_date,
        recency_days,
        frequency_purchase_days,
        monetary_net_usd
    from rfm_buyers
),

rfm_named as (
    select
        rfm_scored.*,
        (rfm_scored.f_score + rfm_scored.m_score) / 2.0 as fm_mean_score,
        rfm_segments.rfm_segment,
        case
            when rfm_scored.f_score >= 4 and rfm_scored.m_score >= 4 then 'high_value'
            when rfm_scored.m_score >= 4 then 'potential'
            when rfm_scored.f_score >= 4 then 'loyal_low_spender'
            else 'low_value'
        end as value_tier
    from rfm_scored
    left join rfm_segments
        on
            rfm_scored.r_score = rfm_segments.r_score
            and (rfm_scored.f_score + rfm_scored.m_score) / 2.0
            between rfm_segments.fm_mean_min and rfm_segments.fm_mean_max
),

final as (
    select
        flagged.customer_key,
        flagged.segment_date,
        flagged.is_week_end,
        flagged.is_month_end,
        flagged.week_start_date,
        flagged.month_start_date,
        flagged.is_observation_end,
        flagged.first_seen_date,
        flagged.has_appeared,
        flagged.lifecycle_stage,
        flagged.first_active_date as first_activity_date,
        flagged.last_active_date as last_activity_date,
        flagged.days_since_last_activity,
        flagged.last_interaction_date,
        flagged.purchase_days_to_date,
        flagged.last_purchase_date,
        flagged.days_since_last_purchase,
        flagged.last_purchase_category,
        flagged.median_purchase_gap_days,
        flagged.is_churn_early_warning,
        flagged.is_warm_not_buying,
        rfm_named.recency_days,
        rfm_named.frequency_purchase_days,
        rfm_named.monetary_net_usd,
        rfm_named.r_score,
        rfm_named.f_score,
        rfm_named.m_score,
        rfm_named.fm_mean_score,
        rfm_named.rfm_segment,
        coalesce(rfm_named.value_tier, 'non_buyer') as value_tier,
        flagged.interaction_depth_tier,
        {%- for count in lookback_counts %}
            flagged.{{ count }}_in_lookback,
        {%- endfor %}
        flagged.is_koc_candidate,
        {{ run_stamp() }} as _changed_at
    from flagged
    left join rfm_named
        on
            flagged.customer_key = rfm_named.customer_key
            and flagged.segment_date = rfm_named.segment_date
)

select * from final
