{# purpose: the body of a validation model's parent-status CTE: one row per key of a validated parent table, with whether any of its rows was accepted (a key with none makes a child row parent_quarantined; a key absent makes it unknown) #}
{% macro parent_status(parent, key) -%}
    select
        {{ key }},
        bool_or(quarantine_reason is null) as has_accepted_row
    from {{ parent }}
    where {{ key }} is not null
    group by {{ key }}
{%- endmacro %}
