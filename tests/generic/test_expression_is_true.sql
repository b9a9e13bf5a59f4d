{# purpose: fails on every row where the SQL expression is false (null counts as passing, use not_null for that) #}
{% test expression_is_true(model, expression) %}
select *
from {{ model }}
where not ({{ expression }})
{% endtest %}
