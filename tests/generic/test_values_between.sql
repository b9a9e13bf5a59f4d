{# purpose: fails on every non-null value outside [min_value, max_value] (rates and shares between 0 and 1) #}
{% test values_between(model, column_name, min_value=0, max_value=1) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} < {{ min_value }} or {{ column_name }} > {{ max_value }}
{% endtest %}
