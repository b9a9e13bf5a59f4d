"""One row per buyer as of the observation end: frequency, recency and T as the model sees them,
P(alive), expected purchase days in the next 30/90/180/365 days, expected net USD per purchase day
and the predicted 12-month net USD, from the 'current' parameters of rpt_prediction_parameters
(livewh.predict.step.predict_customers; nothing is refitted here)."""


def model(dbt, session):
    from dbt.adapters.events.logging import AdapterLogger

    from livewh.predict.engines import as_model_output, as_relation
    from livewh.predict.step import observation_end, predict_customers

    logger = AdapterLogger("livewh.predict")
    result = predict_customers(
        as_relation(dbt.ref("fct_orders")),
        observation_end(as_relation(dbt.ref("int_observation_end"))),
        as_relation(dbt.ref("rpt_prediction_parameters")).df(),
        log=logger.info,
        warn=logger.warning,
    )
    return as_model_output(result, session)
