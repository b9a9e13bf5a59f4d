"""One row per buyer as of the backtest's calibration end (the observation end moved back by the
holdout): what the 'backtest' parameters of rpt_prediction_parameters predict for the holdout and
what the buyer did in it (livewh.predict.step.backtest_customers)."""


def model(dbt, session):
    from dbt.adapters.events.logging import AdapterLogger

    from livewh.predict.engines import as_model_output, as_relation
    from livewh.predict.step import backtest_customers, observation_end

    settings = dbt.config.get("meta")
    logger = AdapterLogger("livewh.predict")
    result = backtest_customers(
        as_relation(dbt.ref("fct_orders")),
        observation_end(as_relation(dbt.ref("int_observation_end"))),
        int(settings["holdout_days"]),
        as_relation(dbt.ref("rpt_prediction_parameters")).df(),
        log=logger.info,
        warn=logger.warning,
    )
    return as_model_output(result, session)
