-- Should the predictions be trusted? The models fitted with the observation end moved back by the
-- holdout predict the holdout; this compares the prediction with what happened, overall, per
-- acquisition cohort month and per decile of predicted purchase days (decile 1 = the tenth of
-- buyers with the highest prediction), next to a naive baseline (the last holdout-long window
-- repeated).
with

backtest as (
    select * from {{ ref('fct_customer_prediction_backtest') }}
),

parameters as (
    select * from {{ ref('rpt_prediction_parameters') }}
    where fit_purpose = 'backtest'
),

fit as (
    select
        any_value(calibration_end_date) as calibration_end_date,
        any_value(as_of_date) as holdout_end_date,
        any_value(holdout_days) as holdout_days,
        any_value(fit_status) filter (where model_name = 'bg_nbd') as purchase_model_status,
        any_value(fit_status) filter (where model_name = 'gamma_gamma') as spend_model_status
    from parameters
),

buyers_ranked as (
    select
        *,
        case
            when predicted_purchase_days is not null
                then ntile(10) over (
                    partition by predicted_purchase_days is null
                    order by predicted_purchase_days desc, customer_key asc
                )
        end as predicted_decile
    from backtest
),

{%- set figures %}
        count(*) as buyers,
        {{ exact_sum('predicted_purchase_days') }} as predicted_purchase_days,
        cast(coalesce(sum(actual_purchase_days), 0) as bigint) as actual_purchase_days,
        cast(coalesce(sum(baseline_purchase_days), 0) as bigint) as baseline_purchase_days,
        {{ exact_sum('predicted_purchase_probability') }} as predicted_buyers,
        count(*) filter (where actual_purchase_days > 0) as actual_buyers,
        {{ exact_sum('predicted_net_usd') }} as predicted_net_usd,
        coalesce({{ exact_sum('actual_net_usd') }}, 0) as actual_net_usd,
        {{ exact_avg('abs(predicted_purchase_days - actual_purchase_days)') }} as mean_absolute_error,
        {{ exact_avg('abs(baseline_purchase_days - actual_purchase_days)') }} as baseline_mean_absolute_error,
        sqrt({{ exact_avg('power(predicted_purchase_days - actual_purchase_days, 2)') }}) as root_mean_squared_error,
        sqrt({{ exact_avg('power(baseline_purchase_days - actual_purchase_days, 2)') }})
            as baseline_root_mean_squared_error
{%- endset %}

groups as (
    select
        'overall' as breakdown,
        cast(null as date) as cohort_month,
        cast(null as integer) as predicted_decile,
        {{ figures }}
    from buyers_ranked

    union all

    select
        'cohort_month' as breakdown,
        cohort_month,
        cast(null as integer) as predicted_decile,
        {{ figures }}
    from buyers_ranked
    group by cohort_month

    union all

    select
        'predicted_decile' as breakdown,
        cast(null as date) as cohort_month,
        cast(predicted_decile as integer) as predicted_decile,
        {{ figures }}
    from buyers_ranked
    where predicted_decile is not null
    group by predicted_decile
),

final as (
    select
        groups.breakdown,
        groups.cohort_month,
        groups.predicted_decile,
        fit.calibration_end_date,
        fit.holdout_end_date,
        fit.holdout_days,
        groups.buyers,
        groups.predicted_purchase_days,
        groups.actual_purchase_days,
        groups.predicted_purchase_days - groups.actual_purchase_days as purchase_days_error,
        (groups.predicted_purchase_days - groups.actual_purchase_days)
        / nullif(groups.actual_purchase_days, 0) as purchase_days_relative_error,
        groups.baseline_purchase_days,
        (groups.baseline_purchase_days - groups.actual_purchase_days)
        / nullif(groups.actual_purchase_days, 0) as baseline_relative_error,
        groups.predicted_buyers,
        groups.actual_buyers,
        (groups.predicted_buyers - groups.actual_buyers) / nullif(groups.actual_buyers, 0) as buyers_relative_error,
        groups.predicted_net_usd,
        groups.actual_net_usd,
        (groups.predicted_net_usd - groups.actual_net_usd) / nullif(groups.actual_net_usd, 0)
            as net_usd_relative_error,
        groups.mean_absolute_error,
        groups.baseline_mean_absolute_error,
        groups.root_mean_squared_error,
        groups.baseline_root_mean_squared_error,
        fit.purchase_model_status,
        fit.spend_model_status
    from groups
    cross join fit
)

select * from final
