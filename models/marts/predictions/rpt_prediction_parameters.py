"""BG/NBD and Gamma-Gamma fitted at the observation end ('current') and at the observation end moved
back by the holdout ('backtest'): one row per fit, model and parameter, with status and sample sizes.
The modelling lives in the livewh package (livewh.predict.step.fit_parameters); too few repeat buyers
or a failed fit give null parameters and a warning in dbt's log, never a failed build."""


def model(dbt, session):
    from dbt.adapters.events.logging import AdapterLogger

    from livewh.predict.engines import as_model_output, as_relation
    from livewh.predict.step import fit_parameters, observation_end

    settings = dbt.config.get("meta")
    logger = AdapterLogger("livewh.predict")
    result = fit_parameters(
        as_relation(dbt.ref("fct_orders")),
        observation_end(as_relation(dbt.ref("int_observation_end"))),
        holdout_days=int(settings["holdout_days"]),
        min_repeat_buyers=int(settings["min_repeat_buyers"]),
        log=logger.info,
        warn=logger.warning,
    )
    return as_model_output(result, session)
