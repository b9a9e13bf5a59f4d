{# purpose: the repurchase windows (var repurchase_windows) as a sorted list of distinct positive integers of days; stops on a bad value #}
{% macro repurchase_windows() -%}
    {{ return(day_windows('repurchase_windows')) }}
{%- endmacro %}
