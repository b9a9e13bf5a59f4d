{#
    purpose: how the current incremental model runs: in full (first run, --full-refresh, no
    bookkeeping row, its SQL or settings changed since the stored rows were written, or, for a
    model reading an append-only log, the log was rewritten rather than appended to) or
    incrementally, processing what changed upstream after `since` (the start of the last run it
    completed). Returns {'full': bool, 'since': SQL timestamp literal or none}.
#}
{% macro incremental_plan() %}
    {%- if not execute or this is none or not is_incremental() or flags.FULL_REFRESH -%}
        {{ return({'full': true, 'since': none}) }}
    {%- endif -%}
    {%- set state = run_query(
        "select strftime(processed_at, '%Y-%m-%d %H:%M:%S.%f'), signature from " ~ incremental_state_relation()
        ~ " where model_name = '" ~ this.identifier ~ "'") -%}
    {%- if state.rows | length == 0 or state.rows[0][1] != incremental_signature() -%}
        {{ return({'full': true, 'since': none}) }}
    {%- endif -%}
    {%- set log_model = config.get('append_only_log') -%}
    {%- if log_model and append_only_log_rewritten(ref(log_model), config.get('append_only_log_key')) -%}
        {{ return({'full': true, 'since': none}) }}
    {%- endif -%}
    {{ return({'full': false, 'since': "cast('" ~ state.rows[0][0] ~ "' as timestamp)"}) }}
{% endmacro %}
