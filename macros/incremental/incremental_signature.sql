{# purpose: a digest of what an incremental model's stored rows depend on besides the data: its own SQL and the settings (vars) that change results; when it differs from the stored one, the model rebuilds in full. The raw folder is not part of it: a shop may export each day into a new folder, and a log that no longer matches the stored rows is caught by append_only_log_rewritten #}
{% macro incremental_signature() %}
    {%- set settings = [] -%}
    {%- for name in [
        'as_of_date', 'future_cutoff_date', 'fx_max_staleness_days', 'zero_value_orders_qualify',
        'live_event_grace_minutes', 'post_live_attribution_days', 'min_watch_seconds_for_activity',
        'identity_merge_on_device_ids', 'identity_max_accounts_per_identifier', 'identity_propagation_rounds',
        'new_days', 'active_days', 'churn_days', 'churn_warning_ratio', 'rfm_lookback_days',
        'interaction_lookback_days', 'high_interaction_threshold', 'koc_min_shares'] -%}
        {%- do settings.append(name ~ '=' ~ (var(name, '') | string)) -%}
    {%- endfor -%}
    {%- do settings.append('model=' ~ model.checksum.checksum) -%}
    {{ return(local_md5(settings | join('|'))) }}
{% endmacro %}
