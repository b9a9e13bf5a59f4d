{# purpose: fails on every accepted row (quarantine_reason null) whose reference (column_name) does not name an accepted row of the parent validation model: an accepted child never points at a missing or quarantined parent #}
{% test references_accepted_row(model, column_name, to, field) %}
with

children as (
    select {{ column_name }} as reference
    from {{ model }}
    where quarantine_reason is null and {{ column_name }} is not null
),

accepted_parents as (
    select distinct {{ field }} as reference
    from {{ to }}
    where quarantine_reason is null
)

select children.reference
from children
left join accepted_parents
    on children.reference = accepted_parents.reference
where accepted_parents.reference is null
{% endtest %}
