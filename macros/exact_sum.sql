{# purpose: sum of a double expression that does not depend on the order rows arrive in (summed as decimals rounded at 1e-12, returned as double): a rebuild of the same data gives a bit-identical figure #}
{% macro exact_sum(expression) -%}
    cast(sum(cast({{ expression }} as decimal(38, 12))) as double)
{%- endmacro %}
