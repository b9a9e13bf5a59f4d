{# purpose: pre-hook of an incremental model: when it must rebuild in full while its table exists (settings or SQL changed), empty the table first #}
{% macro incremental_reset() %}
    {%- if execute and is_incremental() and incremental_plan().full -%}
        delete from {{ this }}
    {%- endif -%}
{% endmacro %}
