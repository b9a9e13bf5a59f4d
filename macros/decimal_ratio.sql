{# purpose: numerator / denominator as decimal(18, decimals), rounded half away from zero from the exact quotient (null when the denominator is 0 or null); DuckDB divides decimals as doubles and Spark as decimals, and the engines round a double's halfway case differently, so a plain cast or round() gave different last digits on the two engines #}
{% macro decimal_ratio(numerator, denominator, decimals=4) -%}
    {%- set unit = 10 ** decimals -%}
    {%- set scaled = 'abs(cast((' ~ numerator ~ ') * ' ~ unit ~ ' as bigint))' -%}
    {%- set divisor = 'abs(cast(nullif(' ~ denominator ~ ', 0) as bigint))' -%}
    cast(
        cast(
            sign({{ numerator }}) * sign({{ denominator }})
            * {{ integer_divide('2 * ' ~ scaled ~ ' + ' ~ divisor, '2 * ' ~ divisor) }}
            as decimal(18, 0)
        ) * cast({{ 1 / unit }} as decimal({{ decimals + 1 }}, {{ decimals }}))
        as decimal(18, {{ decimals }})
    )
{%- endmacro %}
