-- The model's inputs follow the project's purchase-day definitions: the buyers of
-- fct_customer_predictions are exactly those of fct_customer_repurchase, with the same first
-- purchase day and cohort, frequency = purchase days - 1 and T = days observed.
with

predictions as (
    select * from {{ ref('fct_customer_predictions') }}
),

repurchase as (
    select * from {{ ref('fct_customer_repurchase') }}
),

failures as (
    select
        coalesce(predictions.customer_key, repurchase.customer_key) as customer_key,
        predictions.model_frequency,
        repurchase.purchase_days,
        predictions.model_t_days,
        repurchase.days_observed
    from predictions
    full outer join repurchase
        on predictions.customer_key = repurchase.customer_key
    where
        predictions.customer_key is null
        or repurchase.customer_key is null
        or predictions.first_purchase_date != repurchase.first_purchase_date
        or predictions.cohort_month != repurchase.cohort_month
        or predictions.model_frequency != repurchase.purchase_days - 1
        or predictions.model_t_days != repurchase.days_observed
        or predictions.as_of_date != repurchase.as_of_date
)

select * from failures
