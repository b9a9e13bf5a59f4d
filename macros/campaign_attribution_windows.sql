{# purpose: the campaign attribution windows (var campaign_attribution_windows) as a sorted list of distinct positive integers of days; stops on a bad value #}
{% macro campaign_attribution_windows() -%}
    {{ return(day_windows('campaign_attribution_windows')) }}
{%- endmacro %}
