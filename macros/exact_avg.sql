{# purpose: mean of a double expression that does not depend on the order rows arrive in (see exact_sum) #}
{% macro exact_avg(expression) -%}
    cast(avg(cast({{ expression }} as decimal(38, 12))) as double)
{%- endmacro %}
