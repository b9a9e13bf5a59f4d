{# purpose: fails on every row where the SQL expression is false (null counts as passing, use not_null for that); on a column, the expression is appended to the column name (e.g. "> 0") #}
{% test expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
where not ({% if column_name %}{{ column_name }} {% endif %}{{ expression }})
{% endtest %}
