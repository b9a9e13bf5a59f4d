{#-
    The backtest's overall row: when the backtest fit succeeded, the predicted holdout purchase
    days are within var prediction_backtest_max_relative_error (default 0.2) of the actual ones,
    and the per-buyer squared error is no worse than the naive forecast's. A shop whose data the
    model does not describe gets a warning (severity var prediction_backtest_severity, default
    warn) rather than a blocked build; `make test` runs it as an error on the demo data.
-#}
{{ config(severity=var('prediction_backtest_severity')) }}

with

overall as (
    select * from {{ ref('rpt_prediction_backtest') }}
    where breakdown = 'overall' and purchase_model_status = 'fitted'
),

failures as (
    select
        'purchase_days_relative_error' as check_name,
        purchase_days_relative_error as figure
    from overall
    where
        actual_purchase_days = 0
        or abs(purchase_days_relative_error) > {{ var('prediction_backtest_max_relative_error') }}
    union all
    select
        'root_mean_squared_error_above_baseline' as check_name,
        root_mean_squared_error - baseline_root_mean_squared_error as figure
    from overall
    where root_mean_squared_error > baseline_root_mean_squared_error
)

select * from failures
