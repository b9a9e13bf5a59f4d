{# purpose: the shared config of the incremental live models keyed by broadcast (each run deletes and recomputes the rows of changed_live_sessions) #}
{% macro session_keyed_incremental_config() %}
    {{ return({
        'materialized': incremental_materialization(),
        'incremental_strategy': 'delete+insert',
        'unique_key': 'session_id',
        'on_schema_change': 'append_new_columns',
        'pre_hook': ["{{ incremental_reset() }}", "{{ delete_changed_live_sessions() }}"],
        'post_hook': ["{{ record_incremental_state() }}"],
    }) }}
{% endmacro %}
