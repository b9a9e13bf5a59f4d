-- The history at the observation end equals dim_customer_segments for every person seen by
-- then (the same people, the same segments and values), and the only people of the dim
-- missing from the history are first seen after the observation end (never active).
{% set shared_columns = [
    'customer_key', 'lifecycle_stage', 'days_since_last_activity', 'days_since_last_purchase',
    'purchase_days_to_date', 'last_purchase_category', 'is_churn_early_warning', 'is_warm_not_buying',
    'recency_days', 'frequency_purchase_days', 'monetary_net_usd', 'r_score', 'f_score', 'm_score',
    'rfm_segment', 'value_tier', 'interaction_depth_tier', 'interactions_in_lookback',
    'shares_in_lookback', 'is_koc_candidate'
] %}
with

history_last as (
    select {{ shared_columns | join(', ') }}
    from {{ ref('fct_customer_segment_history') }}
    where is_observation_end
),

dim_seen as (
    select {{ shared_columns | join(', ') }}
    from {{ ref('dim_customer_segments') }}
    where first_seen_date <= as_of_date
),

only_in_history as (
    select * from history_last
    except
    select * from dim_seen
),

only_in_dim as (
    select * from dim_seen
    except
    select * from history_last
),

seen_after_end_but_active as (
    select customer_key
    from {{ ref('dim_customer_segments') }}
    where first_seen_date > as_of_date and lifecycle_stage != 'never_active'
),

failures as (
    select
        'only_in_history' as side,
        customer_key
    from only_in_history
    union all
    select
        'only_in_dim' as side,
        customer_key
    from only_in_dim
    union all
    select
        'seen_after_end_but_active' as side,
        customer_key
    from seen_after_end_but_active
)

select * from failures
