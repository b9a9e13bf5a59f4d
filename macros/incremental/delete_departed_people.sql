{# purpose: pre-hook of a person-keyed incremental model: delete the rows of people who no longer exist (erased, or merged into another person whose key survives) #}
{% macro delete_departed_people() %}
    {%- if execute and is_incremental() and not incremental_plan().full -%}
        delete from {{ this }}
        where customer_key not in (select persons.customer_key from {{ ref('int_persons') }} as persons)
    {%- endif -%}
{% endmacro %}
