{#- The contract lists the per-window columns of the default windows (30, 90, 180); with other
    windows the columns differ, so the contract is enforced only when the var has its default. -#}
{{ config(contract={'enforced': repurchase_windows() == [30, 90, 180]}) }}
-- One row per buyer: acquisition cohort (month and ISO week), first and second purchase day,
-- the attributes repurchase is cut by, and for each window N in var repurchase_windows whether
-- the window has closed (is_eligible_Nd), whether the buyer repurchased within it, and the
-- orders, purchase days and live interactions within it.
with

buyers as (
    select * from {{ ref('int_buyers_profiled') }}
),

buyer_windows as (
    select * from {{ ref('int_customer_repurchase_windows') }}
),

observation_end as (
    select max(as_of_date) as as_of_date from {{ ref('int_observation_end') }}
),

windows_pivoted as (
    select
        {%- for window in repurchase_windows() %}
            bool_or(is_eligible) filter (where window_days = {{ window }}) as is_eligible_{{ window }}d,
            bool_or(has_repurchased) filter (where window_days = {{ window }}) as has_repurchased_{{ window }}d,
            sum(orders_within) filter (where window_days = {{ window }}) as orders_within_{{ window }}d,
            sum(purchase_days_within) filter (where window_days = {{ window }}) as purchase_days_within_{{ window }}d,
            sum(interactions_within) filter (where window_days = {{ window }}) as interactions_within_{{ window }}d,
        {%- endfor %}
        customer_key
    from buyer_windows
    group by customer_key
),

final as (
    select
        buyers.customer_key,
        buyers.primary_customer_id,
        buyers.cohort_month,
        buyers.cohort_week,
        buyers.cohort_iso_week,
        buyers.first_purchase_date,
        buyers.second_purchase_date,
        buyers.days_to_second_purchase,
        buyers.purchase_days,
        buyers.qualifying_orders,
        buyers.net_usd,
        {{ days_between('buyers.first_purchase_date', 'observation_end.as_of_date') }} as days_observed,
        buyers.acquisition_channel,
        buyers.market_region,
        buyers.market_country_code,
        buyers.language_code,
        buyers.first_order_id,
        buyers.first_order_category,
        buyers.first_order_value_usd,
        buyers.first_order_value_band,
        buyers.first_order_sales_channel,
        buyers.is_first_order_live,
        buyers.acquiring_session_id,
        buyers.acquiring_host_id,
        buyers.acquiring_platform,
        buyers.first_order_delivery_days,
        buyers.first_order_delivery_band,
        buyers.interactions_before_first_purchase,
        buyers.interaction_depth_before_first_purchase,
        buyers.sessions_watched_before_first_purchase,
        buyers.latency_ms_before_first_purchase,
        buyers.latency_band_before_first_purchase,
        {%- for window in repurchase_windows() %}
            windows_pivoted.is_eligible_{{ window }}d,
            windows_pivoted.has_repurchased_{{ window }}d,
            cast(windows_pivoted.orders_within_{{ window }}d as bigint) as orders_within_{{ window }}d,
            cast(windows_pivoted.purchase_days_within_{{ window }}d as bigint) as purchase_days_within_{{ window }}d,
            cast(windows_pivoted.interactions_within_{{ window }}d as bigint) as interactions_within_{{ window }}d,
        {%- endfor %}
        observation_end.as_of_date
    from buyers
    inner join windows_pivoted
        on buyers.customer_key = windows_pivoted.customer_key
    cross join observation_end
)

select * from final
