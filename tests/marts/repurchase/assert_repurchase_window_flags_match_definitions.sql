-- The per-window columns of fct_customer_repurchase follow the definitions, for every window of
-- var repurchase_windows: eligible for N <=> first purchase day + N <= observation end;
-- repurchased within N <=> the second purchase day is 1..N days after the first; at least one
-- purchase day (the first) in the window; more orders than purchase days is fine, fewer is not;
-- and a repurchase within a shorter window implies one within every longer window.
{%- set windows = repurchase_windows() %}
with

customers as (
    select * from {{ ref('fct_customer_repurchase') }}
),

checks as (
    {%- for window in windows %}
        select
            customer_key,
            {{ window }} as window_days,
            case
                when is_eligible_{{ window }}d != (first_purchase_date + {{ window }} <= as_of_date)
                    then 'eligibility'
                when has_repurchased_{{ window }}d != coalesce(days_to_second_purchase <= {{ window }}, false)
                    then 'repurchase flag'
                when has_repurchased_{{ window }}d != (purchase_days_within_{{ window }}d >= 2)
                    then 'purchase days within'
                when not (purchase_days_within_{{ window }}d >= 1 and orders_within_{{ window }}d >= purchase_days_within_{{ window }}d)
                    then 'orders within'
                {%- if not loop.last %}
                    when has_repurchased_{{ window }}d and not has_repurchased_{{ windows[loop.index] }}d
                        then 'windows not nested'
                {%- endif %}
            end as problem
        from customers
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from checks
where problem is not null
