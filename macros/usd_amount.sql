{# purpose: an amount in USD: amount x usd_per_unit in exact decimal arithmetic, rounded half away from zero to 4 decimals (decimal(18, 4)); the same figure on every engine, where a double product rounds by its binary value #}
{% macro usd_amount(amount, usd_per_unit) -%}
    cast(round(cast({{ amount }} as decimal(18, 4)) * cast({{ usd_per_unit }} as decimal(19, 12)), 4) as decimal(18, 4))
{%- endmacro %}
