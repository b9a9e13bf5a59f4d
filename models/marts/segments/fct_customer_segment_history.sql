-- The segments of every person at the end of every ISO week and calendar month, rebuilt from
-- the facts with the same logic as dim_customer_segments (int_customer_segments_evaluated).
-- Compact: a person has rows only from the first date they were seen. The observation end
-- closes the last (possibly partial) week and month.
-- A view on purpose: the evaluated rows are already stored once in the intermediate table
-- (tens of millions of rows at the large profile); a table here would store them twice.
{{ config(materialized='view') }}
with

segments as (
    select * from {{ ref('int_customer_segments_evaluated') }}
    where has_appeared
),

final as (
    select
        customer_key,
        segment_date,
        is_week_end,
        is_month_end,
        week_start_date,
        month_start_date,
        is_observation_end,
        lifecycle_stage,
        days_since_last_activity,
        days_since_last_purchase,
        purchase_days_to_date,
        last_purchase_category,
        is_churn_early_warning,
        is_warm_not_buying,
        recency_days,
        frequency_purchase_days,
        monetary_net_usd,
        r_score,
        f_score,
        m_score,
        rfm_segment,
        value_tier,
        interaction_depth_tier,
        interactions_in_lookback,
        shares_in_lookback,
        is_koc_candidate
    from segments
)

select * from final
