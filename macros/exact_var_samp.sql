{# purpose: sample variance of a decimal expression from exact decimal sums (sum of squares, sum, count), so it does not depend on the order rows arrive in (var_samp accumulates in floating point in arrival order); null below two rows #}
{% macro exact_var_samp(expression) -%}
    case
        when count({{ expression }}) > 1
            then greatest(0.0, (
                cast(sum(({{ expression }}) * ({{ expression }})) as double)
                - power(cast(sum({{ expression }}) as double), 2) / count({{ expression }})
            ) / (count({{ expression }}) - 1))
    end
{%- endmacro %}
