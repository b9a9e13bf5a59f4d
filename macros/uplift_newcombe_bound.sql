{# purpose: lower or upper bound of the 95% interval of a difference of two proportions (treated - control), Newcombe's hybrid score method (1998, method 10) from the two Wilson score intervals; null when either group has no trials #}
{% macro uplift_newcombe_bound(treated_successes, treated_trials, control_successes, control_trials, bound='low') -%}
    {%- set treated_rate = '(' ~ treated_successes ~ ') / nullif(' ~ treated_trials ~ ', 0)::double' -%}
    {%- set control_rate = '(' ~ control_successes ~ ') / nullif(' ~ control_trials ~ ', 0)::double' -%}
    {%- if bound == 'low' -%}
        {%- set treated_side = repurchase_wilson_bound(treated_successes, treated_trials, 'low') -%}
        {%- set control_side = repurchase_wilson_bound(control_successes, control_trials, 'high') -%}
    {%- else -%}
        {%- set treated_side = repurchase_wilson_bound(treated_successes, treated_trials, 'high') -%}
        {%- set control_side = repurchase_wilson_bound(control_successes, control_trials, 'low') -%}
    {%- endif -%}
    case
        when ({{ treated_trials }}) > 0 and ({{ control_trials }}) > 0 then
            {{ treated_rate }} - {{ control_rate }}
            {{ '-' if bound == 'low' else '+' }} sqrt(
                power({{ treated_rate }} - ({{ treated_side }}), 2)
                + power(({{ control_side }}) - {{ control_rate }}, 2)
            )
    end
{%- endmacro %}
