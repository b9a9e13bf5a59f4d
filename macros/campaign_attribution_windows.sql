{# purpose: the campaign attribution windows (var campaign_attribution_windows) as a sorted list of distinct positive integers of days; stops on a bad value #}
{% macro campaign_attribution_windows() -%}
    {%- set configured = var('campaign_attribution_windows') -%}
    {%- if configured is string -%}
        {%- set configured = configured.replace('[', '').replace(']', '').split(',') -%}
    {%- endif -%}
    {%- set windows = [] -%}
    {%- for value in configured -%}
        {%- set window = value | string | trim | int(-1) -%}
        {%- if window < 1 or (value | string | trim) != (window | string) -%}
            {{ exceptions.raise_compiler_error(
                "var campaign_attribution_windows must be a list of positive whole numbers of days; got " ~ configured) }}
        {%- endif -%}
        {%- if window not in windows -%}{%- do windows.append(window) -%}{%- endif -%}
    {%- endfor -%}
    {%- if windows | length == 0 -%}
        {{ exceptions.raise_compiler_error("var campaign_attribution_windows is empty") }}
    {%- endif -%}
    {{ return(windows | sort) }}
{%- endmacro %}
