{# purpose: post-hook of an incremental model: record that it has processed every change up to this run's start, and with which settings #}
{% macro record_incremental_state() %}
    {#- a model built as a table (on Spark, see incremental_materialization) keeps no bookkeeping -#}
    {%- if execute and config.get('materialized') == 'incremental' -%}
        delete from {{ incremental_state_relation() }} where model_name = '{{ this.identifier }}';
        insert into {{ incremental_state_relation() }}
        values ('{{ this.identifier }}', {{ run_stamp() }}, '{{ incremental_signature() }}')
    {%- endif -%}
{% endmacro %}
