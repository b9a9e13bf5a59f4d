{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ prepare_segment_increment(ref('int_customer_segment_states'), 'evaluated') }}",
    post_hook=["{{ drop_segment_work() }}", "{{ record_incremental_state() }}"]
) }}
-- depends_on: {{ ref('int_persons_profiled') }}
{%- set increment = segment_increment(ref('int_customer_segment_states')) -%}
{%- set lookback_counts = ['interactions', 'shares'] -%}
-- The segments of every person at every evaluation date, each computed as if that date were the
-- observation end (from int_customer_segment_states): lifecycle stage, churn early warning,
-- warm-but-not-buying, RFM values, quintile scores, named segment and value tier, interaction
-- depth and KOC candidate. The one implementation behind dim_customer_segments (the
-- observation-end rows) and fct_customer_segment_history. RFM scores are quintiles among the
-- buyers with a purchase day in the look-back at that date; rank() gives equal values the same
-- rank, hence the same score (segment_rfm_scores). Incremental
-- (macros/incremental/segment_increment.sql): the dates from the last date held, the rewritten
-- people's earlier rows, and the earlier rows whose RFM scores moved (ranked again among every
-- buyer of their date).
with

stored_states {{ not_materialized() }} (
    -- state_row: the stored row's own number, a cheap key to join the RFM scores back on (read
    -- twice, for the rows written and the buyers ranked, without storing it in between)
    select
        {{ stored_row_number(['customer_key', 'segment_date']) }} as state_row,
        *
    from {{ ref('int_customer_segment_states') }}
),
{%- if increment.incremental %}

recompute as (
    select * from {{ segment_work_relation() }}
),

rescored_rows as (
    select customer_key, segment_date from recompute where kind = 'row'
),
{%- endif %}

states as (
    -- the rows this run writes: every row, or (incremental) the dates from the last date held,
    -- the people whose states were rewritten, and the rows whose RFM scores moved
    select stored_states.*
    from stored_states
    {%- if increment.incremental %}
    left join rescored_rows
        on
            stored_states.customer_key = rescored_rows.customer_key
            and stored_states.segment_date = rescored_rows.segment_date
    where
        stored_states.segment_date >= {{ increment.held_end }}
        or stored_states.customer_key in (select recompute.customer_key from recompute where recompute.kind = 'person')
        or rescored_rows.customer_key is not null
    {%- endif %}
),

ranked_buyers as (
    -- the buyers the RFM scores rank, at every date this run writes a row of
    select * from stored_states
    {%- if increment.incremental %}
    where
        segment_date >= {{ increment.held_end }}
        or segment_date in (select recompute.segment_date from recompute where recompute.kind = 'date')
    {%- endif %}
),

rfm_segments as (
    select * from {{ ref('rfm_segments') }}
),

lifecycle as (
    select
        *,
        {{ days_between('last_active_date', 'segment_date') }} as days_since_last_activity,
        {{ days_between('last_purchase_date', 'segment_date') }} as days_since_last_purchase,
        case
            when last_active_date is null then 'never_active'
            when {{ days_between('first_active_date', 'segment_date') }} <= {{ var('new_days') }} then 'new'
            when {{ days_between('last_active_date', 'segment_date') }} <= {{ var('active_days') }} then 'active'
            when {{ days_between('last_active_date', 'segment_date') }} <= {{ var('churn_days') }} then 'silent'
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
            and {{ days_between('last_interaction_date', 'segment_date') }} <= {{ var('active_days') }},
            false
        ) as is_warm_not_buying,
        interaction_depth_tier = 'high' and shares_in_lookback >= {{ var('koc_min_shares') }} as is_koc_candidate
    from lifecycle
),

rfm_scores as (
    {{ segment_rfm_scores('ranked_buyers', ['state_row']) }}
),

rfm_scored as (
    select
        flagged.*,
        rfm_scores.state_row is not null as is_rfm_scored,
        rfm_scores.r_score,
        rfm_scores.f_score,
        rfm_scores.m_score
    from flagged
    left join rfm_scores
        on flagged.state_row = rfm_scores.state_row
),

rfm_named as (
    select
        rfm_scored.*,
        (rfm_scored.f_score + rfm_scored.m_score) / cast(2 as double) as fm_mean_score,
        rfm_segments.rfm_segment,
        case
            when not rfm_scored.is_rfm_scored then 'non_buyer'
            when rfm_scored.f_score >= 4 and rfm_scored.m_score >= 4 then 'high_value'
            when rfm_scored.m_score >= 4 then 'potential'
            when rfm_scored.f_score >= 4 then 'loyal_low_spender'
            else 'low_value'
        end as value_tier
    from rfm_scored
    left join rfm_segments
        on
            rfm_scored.r_score = rfm_segments.r_score
            and (rfm_scored.f_score + rfm_scored.m_score) / cast(2 as double)
            between rfm_segments.fm_mean_min and rfm_segments.fm_mean_max
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
        first_seen_date,
        has_appeared,
        lifecycle_stage,
        first_active_date as first_activity_date,
        last_active_date as last_activity_date,
        days_since_last_activity,
        last_interaction_date,
        purchase_days_to_date,
        last_purchase_date,
        days_since_last_purchase,
        last_purchase_category,
        median_purchase_gap_days,
        is_churn_early_warning,
        is_warm_not_buying,
        case when is_rfm_scored then days_since_last_purchase end as recency_days,
        case when is_rfm_scored then rfm_purchase_days end as frequency_purchase_days,
        case when is_rfm_scored then rfm_net_usd end as monetary_net_usd,
        r_score,
        f_score,
        m_score,
        fm_mean_score,
        rfm_segment,
        value_tier,
        interaction_depth_tier,
        {%- for count in lookback_counts %}
            {{ count }}_in_lookback,
        {%- endfor %}
        is_koc_candidate,
        {{ run_stamp() }} as _changed_at
    from rfm_named
)

select * from final
