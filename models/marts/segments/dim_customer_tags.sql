-- The tag system a shop targets people with: one row per person and tag as of the
-- observation end. Descriptive tags (language, market, channel, lifecycle, value tier,
-- interaction depth) are present for everyone; rfm_segment and last_category only for
-- people who bought; the flag tags (bought_<active_days>d, koc_candidate,
-- churn_early_warning, warm_not_buying, high_value_at_risk) only when they apply, with tag_value
-- 'true'.
with

segments as (
    select * from {{ ref('dim_customer_segments') }}
),

tags as (
    {%- set tag_expressions = {
        'language': 'language_code',
        'market_country': 'market_country_code',
        'market_region': 'market_region',
        'acquisition_channel': 'acquisition_channel',
        'lifecycle_stage': 'lifecycle_stage',
        'value_tier': 'value_tier',
        'rfm_segment': 'rfm_segment',
        'interaction_depth': 'interaction_depth_tier',
        'last_category': 'last_purchase_category',
        'bought_' ~ var('active_days') ~ 'd':
            "case when days_since_last_purchase <= " ~ var('active_days') ~ " then 'true' end",
        'koc_candidate': "case when is_koc_candidate then 'true' end",
        'churn_early_warning': "case when is_churn_early_warning then 'true' end",
        'warm_not_buying': "case when is_warm_not_buying then 'true' end",
        'high_value_at_risk': "case when is_high_value_at_risk then 'true' end",
    } %}
    {%- for tag_key, tag_expression in tag_expressions.items() %}
        select
            customer_key,
            as_of_date,
            '{{ tag_key }}' as tag_key,
            cast({{ tag_expression }} as {{ text_type() }}) as tag_value
        from segments
        {{ 'union all' if not loop.last }}
    {%- endfor %}
),

final as (
    select
        customer_key,
        tag_key,
        tag_value,
        as_of_date
    from tags
    where tag_value is not null
)

select * from final
