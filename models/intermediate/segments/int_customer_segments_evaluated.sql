-- The segments of every person at every evaluation date (int_segment_evaluation_dates), each
-- computed as if that date were the observation end: the one implementation behind both
-- dim_customer_segments (the observation-end date) and fct_customer_segment_history (every
-- week and month end). "Within the last N days" means 0 ... N days before the date, so a
-- look-back of N days spans N + 1 calendar days; activity dated after the evaluation date
-- (a market-local date ahead of the UTC observation end) is not yet seen.
-- Running totals per person are taken after each day with activity, then read at a date with
-- an as-of join (the latest state on or before it); a look-back total is the running total at
-- the date minus the running total just before the window starts.
with

evaluation_dates as (
    select * from {{ ref('int_segment_evaluation_dates') }}
),

customers as (
    select * from {{ ref('int_persons_profiled') }}
),

daily_activity as (
    select * from {{ ref('int_customer_daily_activity') }}
),

order_items as (
    select * from {{ ref('int_order_items_enriched') }}
    where is_qualifying
),

rfm_segments as (
    select * from {{ ref('rfm_segments') }}
),

persons as (
    select
        customer_key,
        cast({{ utc_to_local('first_seen_at', 'market_time_zone') }} as date) as first_seen_date
    from customers
),

activity_states as (
    -- after each day with any live or purchase activity: first and last active day so far
    -- (a join or leave alone is not activity) and running interaction counts
    select
        customer_key,
        activity_date,
        min(case when is_active_day then activity_date end) over running_total as first_active_date,
        max(case when is_active_day then activity_date end) over running_total as last_active_date,
        max(case when interactions > 0 then activity_date end) over running_total as last_interaction_date,
        sum(coalesce(interactions, 0)) over running_total as running_interactions,
        sum(coalesce(comments, 0)) over running_total as running_comments,
        sum(coalesce(likes, 0)) over running_total as running_likes,
        sum(coalesce(shares, 0)) over running_total as running_shares,
        sum(coalesce(gifts, 0)) over running_total as running_gifts,
        sum(coalesce(follows, 0)) over running_total as running_follows,
        sum(coalesce(product_clicks, 0)) over running_total as running_product_clicks,
        sum(coalesce(add_to_carts, 0)) over running_total as running_add_to_carts
    from daily_activity
    window running_total as (
        partition by customer_key order by activity_date rows between unbounded preceding and current row
    )
),

purchase_day_categories as (
    -- the category of the largest qualifying line bought that day
    select
        customer_key,
        order_date_local as purchase_date,
        first(category order by line_amount_usd desc, order_id asc, line_number asc) as category
    from order_items
    group by customer_key, order_date_local
),

purchase_days as (
    select
        daily_activity.customer_key,
        daily_activity.activity_date as purchase_date,
        coalesce(daily_activity.net_usd, 0) as net_usd,
        coalesce(purchase_day_categories.category, 'unknown') as category,
        daily_activity.activity_date - lag(daily_activity.activity_date) over (
            partition by daily_activity.customer_key order by daily_activity.activity_date
        ) as gap_days
    from daily_activity
    left join purchase_day_categories
        on
            daily_activity.customer_key = purchase_day_categories.customer_key
            and daily_activity.activity_date = purchase_day_categories.purchase_date
    where daily_activity.is_purchase_day
),

purchase_states as (
    -- after each purchase day: purchase days and net USD so far, the median gap between
    -- consecutive purchase days so far, and that day's category
    select
        customer_key,
        purchase_date,
        category,
        count(*) over running_total as running_purchase_days,
        sum(net_usd) over running_total as running_net_usd,
        median(gap_days) over running_total as running_median_gap_days
    from purchase_days
    window running_total as (
        partition by customer_key order by purchase_date rows between unbounded preceding and current row
    )
),

person_dates as (
    -- compact: a person is evaluated from the first day they were seen; at the observation
    -- end every person is kept (dim_customer_segments has everyone)
    select
        persons.customer_key,
        persons.first_seen_date,
        evaluation_dates.segment_date,
        evaluation_dates.is_week_end,
        evaluation_dates.is_month_end,
        evaluation_dates.week_start_date,
        evaluation_dates.month_start_date,
        evaluation_dates.is_observation_end,
        persons.first_seen_date <= evaluation_dates.segment_date as has_appeared,
        evaluation_dates.segment_date - {{ var('rfm_lookback_days') }} - 1 as rfm_window_before_date,
        evaluation_dates.segment_date - {{ var('interaction_lookback_days') }} - 1 as interaction_window_before_date
    from persons
    inner join evaluation_dates
        on persons.first_seen_date <= evaluation_dates.segment_date or evaluation_dates.is_observation_end
),

states_at_date as (
    select
        person_dates.*,
        activity_now.first_active_date,
        activity_now.last_active_date,
        activity_now.last_interaction_date,
        purchases_now.purchase_date as last_purchase_date,
        purchases_now.category as last_purchase_category,
        purchases_now.running_median_gap_days as median_purchase_gap_days,
        coalesce(purchases_now.running_purchase_days, 0) as purchase_days_to_date,
        coalesce(purchases_now.running_purchase_days, 0) - coalesce(purchases_before.running_purchase_days, 0)
            as rfm_purchase_days,
        coalesce(purchases_now.running_net_usd, 0) - coalesce(purchases_before.running_net_usd, 0) as rfm_net_usd,
        cast(
            coalesce(activity_now.running_interactions, 0) - coalesce(activity_before.running_interactions, 0) as bigint
        ) as interactions_in_lookback,
        cast(
            coalesce(activity_now.running_comments, 0) - coalesce(activity_before.running_comments, 0) as bigint
        ) as comments_in_lookback,
        cast(
            coalesce(activity_now.running_likes, 0) - coalesce(activity_before.running_likes, 0) as bigint
        ) as likes_in_lookback,
        cast(
            coalesce(activity_now.running_shares, 0) - coalesce(activity_before.running_shares, 0) as bigint
        ) as shares_in_lookback,
        cast(
            coalesce(activity_now.running_gifts, 0) - coalesce(activity_before.running_gifts, 0) as bigint
        ) as gifts_in_lookback,
        cast(
            coalesce(activity_now.running_follows, 0) - coalesce(activity_before.running_follows, 0) as bigint
        ) as follows_in_lookback,
        cast(
            coalesce(activity_now.running_product_clicks, 0) - coalesce(activity_before.running_product_clicks, 0) as bigint
        ) as product_clicks_in_lookback,
        cast(
            coalesce(activity_now.running_add_to_carts, 0) - coalesce(activity_before.running_add_to_carts, 0) as bigint
        ) as add_to_carts_in_lookback
    from person_dates
    asof left join activity_states as activity_now
        on
            person_dates.customer_key = activity_now.customer_key
            and person_dates.segment_date >= activity_now.activity_date
    asof left join activity_states as activity_before
        on
            person_dates.customer_key = activity_before.customer_key
            and person_dates.interaction_window_before_date >= activity_before.activity_date
    asof left join purchase_states as purchases_now
        on
            person_dates.customer_key = purchases_now.customer_key
            and person_dates.segment_date >= purchases_now.purchase_date
    asof left join purchase_states as purchases_before
        on
            person_dates.customer_key = purchases_before.customer_key
            and person_dates.rfm_window_before_date >= purchases_before.purchase_date
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
        case
            when interactions_in_lookback = 0 then 'none'
            when interactions_in_lookback <= {{ var('high_interaction_threshold') }} then 'low'
            else 'high'
        end as interaction_depth_tier
    from states_at_date
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
    -- quintile scores among the buyers with a purchase day in the look-back at that date;
    -- rank() gives equal values the same rank, hence the same score
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
        customer_key,
        segment_date,
        recency_days,
        frequency_purchase_days,
        monetary_net_usd,
        cast(
            least(5, 1 + coalesce((5 * (recency_rank - 1)) // nullif(scored_buyers - 1, 0), 0)) as integer
        ) as r_score,
        cast(
            least(5, 1 + coalesce((5 * (frequency_rank - 1)) // nullif(scored_buyers - 1, 0), 0)) as integer
        ) as f_score,
        cast(
            least(5, 1 + coalesce((5 * (monetary_rank - 1)) // nullif(scored_buyers - 1, 0), 0)) as integer
        ) as m_score
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
        cast(flagged.median_purchase_gap_days as double) as median_purchase_gap_days,
        flagged.is_churn_early_warning,
        flagged.is_warm_not_buying,
        rfm_named.recency_days,
        rfm_named.frequency_purchase_days,
        cast(rfm_named.monetary_net_usd as decimal(18, 4)) as monetary_net_usd,
        rfm_named.r_score,
        rfm_named.f_score,
        rfm_named.m_score,
        rfm_named.fm_mean_score,
        rfm_named.rfm_segment,
        coalesce(rfm_named.value_tier, 'non_buyer') as value_tier,
        flagged.interaction_depth_tier,
        flagged.interactions_in_lookback,
        flagged.comments_in_lookback,
        flagged.likes_in_lookback,
        flagged.shares_in_lookback,
        flagged.gifts_in_lookback,
        flagged.follows_in_lookback,
        flagged.product_clicks_in_lookback,
        flagged.add_to_carts_in_lookback,
        flagged.is_koc_candidate
    from flagged
    left join rfm_named
        on
            flagged.customer_key = rfm_named.customer_key
            and flagged.segment_date = rfm_named.segment_date
)

select * from final
