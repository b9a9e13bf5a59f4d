{# purpose: a project var holding windows of days (a list, or its text form from --vars) as a sorted list of distinct positive integers; stops on a bad value #}
{% macro day_windows(var_name) -%}
    {%- set configured = var(var_name) -%}
    {%- if configured is string -%}
        {%- set configured = configured.replace('[', '').replace(']', '').split(',') -%}
    {%- endif -%}
    {%- set windows = [] -%}
    {%- for value in configured -%}
        {%- set window = value | string | trim | int(-1) -%}
        {%- if window < 1 or (value | string | trim) != (window | string) -%}
            {{ exceptions.raise_compiler_error(
                "var " ~ var_name ~ " must be a list of positive whole numbers of days; got " ~ configured) }}
        {%- endif -%}
        {%- if window not in windows -%}{%- do windows.append(window) -%}{%- endif -%}
    {%- endfor -%}
    {%- if windows | length == 0 -%}
        {{ exceptions.raise_compiler_error("var " ~ var_name ~ " is empty") }}
    {%- endif -%}
    {{ return(windows | sort) }}
{%- endmacro %}
