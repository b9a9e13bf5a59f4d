{#- dimension name -> SQL expression over the buyers and buyer_windows CTEs; null becomes 'unknown' -#}
{%- set dimensions = [
    ('acquisition_channel', 'buyers.acquisition_channel'),
    ('first_order_category', 'buyers.first_order_category'),
    ('first_order_value_band', 'buyers.first_order_value_band'),
    ('interaction_depth_before_first_purchase', 'buyers.interaction_depth_before_first_purchase'),
    ('interaction_depth_in_window', 'buyer_windows.interaction_depth_within'),
    ('market_region', 'buyers.market_region'),
    ('market_country_code', 'buyers.market_country_code'),
    ('language_code', 'buyers.language_code'),
    ('first_order_sales_channel', 'buyers.first_order_sales_channel'),
    ('first_order_live', "case when buyers.is_first_order_live then 'live' else 'not_live' end"),
    ('acquiring_host_id', "coalesce(buyers.acquiring_host_id, 'none')"),
    ('acquiring_platform', "coalesce(buyers.acquiring_platform, 'none')"),
    ('first_order_delivery_band', 'buyers.first_order_delivery_band'),
    ('latency_band_before_first_purchase', 'buyers.latency_band_before_first_purchase'),
] -%}
-- One row per dimension, value and repurchase window: eligible buyers, repurchasers, the
-- censored N-day repurchase rate, its lift over the rate of all eligible buyers and its 95%
-- Wilson score interval (so a small group's rate is not over-read). Only eligible buyers (window
-- closed by the observation end) enter; buyer counts include the censored for context.
with

buyers as (
    select * from {{ ref('int_buyers_profiled') }}
),

buyer_windows as (
    select * from {{ ref('int_customer_repurchase_windows') }}
),

buyer_dimension_values as (
    {%- for dimension, expression in dimensions %}
        select
            '{{ dimension }}' as dimension,
            coalesce(cast({{ expression }} as {{ text_type() }}), 'unknown') as dimension_value,
            buyer_windows.window_days,
            buyer_windows.is_eligible,
            buyer_windows.has_repurchased
        from buyer_windows
        inner join buyers
            on buyer_windows.customer_key = buyers.customer_key
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

by_value as (
    select
        dimension,
        dimension_value,
        window_days,
        count(*) as buyers,
        count(*) filter (where is_eligible) as eligible_customers,
        count(*) filter (where is_eligible and has_repurchased) as repurchasers
    from buyer_dimension_values
    group by dimension, dimension_value, window_days
),

overall as (
    select
        window_days,
        count(*) filter (where is_eligible) as eligible_customers,
        count(*) filter (where is_eligible and has_repurchased) as repurchasers
    from buyer_windows
    group by window_days
),

final as (
    select
        by_value.dimension,
        by_value.dimension_value,
        by_value.window_days,
        by_value.buyers,
        by_value.eligible_customers,
        by_value.repurchasers,
        by_value.repurchasers / nullif(by_value.eligible_customers, 0) as repurchase_rate,
        overall.repurchasers / nullif(overall.eligible_customers, 0) as overall_repurchase_rate,
        (by_value.repurchasers / nullif(by_value.eligible_customers, 0))
        / nullif(overall.repurchasers / nullif(overall.eligible_customers, 0), 0) as lift,
        {{ repurchase_wilson_bound('by_value.repurchasers', 'by_value.eligible_customers', 'low') }}
            as rate_ci_low,
        {{ repurchase_wilson_bound('by_value.repurchasers', 'by_value.eligible_customers', 'high') }}
            as rate_ci_high
    from by_value
    inner join overall
        on by_value.window_days = overall.window_days
)

select * from final
