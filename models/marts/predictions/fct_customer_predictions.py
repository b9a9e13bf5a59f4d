"""One row per buyer as of the observation end: frequency, recency and T as the model sees them,
P(alive), expected purchase days in the next 30/90/180/365 days, expected net USD per purchase day
and the predicted 12-month net USD, from the 'current' parameters of rpt_prediction_parameters
(livewh.predict.step.predict_customers; nothing is refitted here)."""


def model(dbt, session):
    from dbt.adapters.events.logging import AdapterLogger

    from livewh.predict.step import observation_end, predict_customers

    logger = AdapterLogger("livewh.predict")
    return predict_customers(
        dbt.ref("fct_orders"),
        observation_end(dbt.ref("int_observation_end")),
        dbt.ref("rpt_prediction_parameters").df(),
        log=logger.info,
        warn=logger.warning,
    )
