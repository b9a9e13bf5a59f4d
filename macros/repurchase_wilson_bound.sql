{# purpose: lower or upper bound of the Wilson score interval of successes / trials (95% by default); clamped to [0, 1]; null when trials = 0 #}
{% macro repurchase_wilson_bound(successes, trials, bound='low', z=1.959964) -%}
    {%- set sign = '-' if bound == 'low' else '+' -%}
    case
        when {{ trials }} > 0 then least(1.0, greatest(0.0,
            (
                ({{ successes }}) / ({{ trials }})::double
                + {{ z }} * {{ z }} / (2.0 * ({{ trials }}))
                {{ sign }} {{ z }} * sqrt(
                    ({{ successes }}) / ({{ trials }})::double * (1 - ({{ successes }}) / ({{ trials }})::double)
                    / ({{ trials }})
                    + {{ z }} * {{ z }} / (4.0 * ({{ trials }}) * ({{ trials }}))
                )
            ) / (1 + {{ z }} * {{ z }} / ({{ trials }}))
        ))
    end
{%- endmacro %}
