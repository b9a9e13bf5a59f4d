{%- set layers = ['new_accounts', 'first_time_buyers', 'repeat_buyers', 'high_frequency_repeat_buyers'] -%}
-- One row per calendar month (market-local dates) from the first account or purchase to the
-- observation end: the user layers of the month, their counts, their shares of the month's
-- layered customers and their change from the previous month.
--   new accounts: person created in the month with no purchase day by its end;
--   first-time buyers: first purchase day in the month;
--   repeat buyers: a purchase day in the month, and a first purchase day before it or two or
--     more purchase days in it (so a first-time buyer who comes back within the month is both);
--   high-frequency repeat buyers: var high_frequency_purchase_days or more purchase days in it.
with

customers as (
    select * from {{ ref('dim_customers') }}
),

purchase_days as (
    select * from {{ ref('int_purchase_days_observed') }}
),

observation_end as (
    select max(as_of_date) as as_of_date from {{ ref('int_observation_end') }}
),

accounts as (
    select
        customer_key,
        cast({{ utc_to_local('created_at', 'market_time_zone') }} as date) as created_date_local
    from customers
    where created_at is not null
),

first_purchases as (
    select
        customer_key,
        min(purchase_date) as first_purchase_date
    from purchase_days
    group by customer_key
),

accounts_observed as (
    select
        accounts.customer_key,
        cast(date_trunc('month', accounts.created_date_local) as date) as created_month,
        first_purchases.first_purchase_date
    from accounts
    cross join observation_end
    left join first_purchases
        on accounts.customer_key = first_purchases.customer_key
    where accounts.created_date_local <= observation_end.as_of_date
),

months as (
    select
        {{ unnest_date_series(
            "least( (select min(accounts_observed.created_month) from accounts_observed), cast(date_trunc('month', (select min(purchase_days.purchase_date) from purchase_days)) as date) )",
            "cast(date_trunc('month', observation_end.as_of_date) as date)",
            'interval 1 month'
        ) }} as month_start_date
    from observation_end
),

new_accounts as (
    select
        created_month as month_start_date,
        count(*) as accounts_created,
        count(*) filter (
            where first_purchase_date is null or first_purchase_date > last_day(created_month)
        ) as new_accounts
    from accounts_observed
    group by created_month
),

buyer_months as (
    select
        cast(date_trunc('month', purchase_date) as date) as month_start_date,
        customer_key,
        min(first_purchase_date) as first_purchase_date,
        count(*) as purchase_days
    from purchase_days
    group by cast(date_trunc('month', purchase_date) as date), customer_key
),

buyer_layers as (
    select
        month_start_date,
        count(*) as buyers,
        count(*) filter (where first_purchase_date >= month_start_date) as first_time_buyers,
        count(*) filter (where first_purchase_date < month_start_date or purchase_days >= 2) as repeat_buyers,
        count(*) filter (where first_purchase_date >= month_start_date and purchase_days >= 2)
            as first_time_repeat_buyers,
        count(*) filter (where purchase_days >= {{ var('high_frequency_purchase_days') }})
            as high_frequency_repeat_buyers
    from buyer_months
    group by month_start_date
),

layer_counts as (
    select
        months.month_start_date,
        last_day(months.month_start_date) <= observation_end.as_of_date as is_complete_month,
        coalesce(new_accounts.accounts_created, 0) as accounts_created,
        coalesce(new_accounts.new_accounts, 0) as new_accounts,
        coalesce(buyer_layers.first_time_buyers, 0) as first_time_buyers,
        coalesce(buyer_layers.repeat_buyers, 0) as repeat_buyers,
        coalesce(buyer_layers.high_frequency_repeat_buyers, 0) as high_frequency_repeat_buyers,
        coalesce(buyer_layers.first_time_repeat_buyers, 0) as first_time_repeat_buyers,
        coalesce(buyer_layers.buyers, 0) as buyers,
        coalesce(new_accounts.new_accounts, 0) + coalesce(buyer_layers.buyers, 0) as layered_customers
    from months
    cross join observation_end
    left join new_accounts
        on months.month_start_date = new_accounts.month_start_date
    left join buyer_layers
        on months.month_start_date = buyer_layers.month_start_date
),

final as (
    select
        month_start_date,
        {{ date_label('month_start_date', 'month') }} as month_label,
        is_complete_month,
        accounts_created,
        buyers,
        layered_customers,
        {%- for layer in layers %}
            {{ layer }},
            {{ layer }} / nullif(layered_customers, 0) as {{ layer }}_share,
            {{ layer }} - lag({{ layer }}) over (order by month_start_date) as {{ layer }}_mom_change,
            ({{ layer }} - lag({{ layer }}) over (order by month_start_date))
            / nullif(lag({{ layer }}) over (order by month_start_date), 0) as {{ layer }}_mom_change_rate,
        {%- endfor %}
        first_time_repeat_buyers
    from layer_counts
)

select * from final
