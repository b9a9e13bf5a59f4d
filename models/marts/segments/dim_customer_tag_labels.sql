-- One readable label per person built from dim_customer_tags, for targeting lists and CRM
-- exports: language | value tier | lifecycle stage | recent-purchase flag | last category,
-- then any signal flags, e.g. `en | high_value | active | bought_30d | last_category=beauty`.
with

tags as (
    select * from {{ ref('dim_customer_tags') }}
),

label_parts as (
    select
        customer_key,
        as_of_date,
        case
            when tag_key = 'language' then 1
            when tag_key = 'value_tier' then 2
            when tag_key = 'lifecycle_stage' then 3
            when tag_key = 'bought_{{ var("active_days") }}d' then 4
            when tag_key = 'last_category' then 5
            when tag_key = 'koc_candidate' then 6
            when tag_key = 'churn_early_warning' then 7
            when tag_key = 'warm_not_buying' then 8
            when tag_key = 'high_value_at_risk' then 9
        end as label_order,
        case
            when tag_key in ('language', 'value_tier', 'lifecycle_stage') then tag_value
            when tag_key = 'last_category' then 'last_category=' || tag_value
            else tag_key
        end as label_part
    from tags
),

final as (
    select
        customer_key,
        any_value(as_of_date) as as_of_date,
        {{ ordered_text_agg('label_part', "' | '", 'label_order') }} as tag_label
    from label_parts
    where label_order is not null
    group by customer_key
)

select * from final
