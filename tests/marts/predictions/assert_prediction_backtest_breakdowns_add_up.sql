-- Every breakdown of rpt_prediction_backtest partitions the same buyers: the cohort months and
-- the deciles (when predicted) add up to the overall row, which matches the per-buyer backtest.
with

report as (
    select * from {{ ref('rpt_prediction_backtest') }}
),

buyers as (
    select
        count(*) as buyers,
        coalesce(sum(actual_purchase_days), 0) as actual_purchase_days,
        coalesce(sum(predicted_purchase_days), 0) as predicted_purchase_days
    from {{ ref('fct_customer_prediction_backtest') }}
),

totals as (
    select
        breakdown,
        sum(buyers) as buyers,
        sum(actual_purchase_days) as actual_purchase_days,
        coalesce(sum(predicted_purchase_days), 0) as predicted_purchase_days
    from report
    group by breakdown
),

failures as (
    select
        totals.breakdown,
        totals.buyers,
        buyers.buyers as expected_buyers
    from totals
    cross join buyers
    where
        (totals.breakdown != 'predicted_decile' or buyers.predicted_purchase_days > 0)
        and (
            totals.buyers != buyers.buyers
            or totals.actual_purchase_days != buyers.actual_purchase_days
            or abs(totals.predicted_purchase_days - buyers.predicted_purchase_days) > 1e-6
        )
)

select * from failures
