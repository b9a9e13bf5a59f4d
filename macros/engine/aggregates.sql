{#- Engine-specific aggregates (DuckDB, Apache Spark). -#}

{# purpose: the value of the row with the smallest (arg_min) or largest (arg_max) ordering tuple in the group; rows whose value or tuple is null are skipped (DuckDB's rule: Spark's min_by would return a null value, so its ordering is nulled there) #}
{% macro arg_min(value, order_expressions) -%}
    {{ return(adapter.dispatch('arg_min', 'livewh')(value, order_expressions)) }}
{%- endmacro %}

{% macro default__arg_min(value, order_expressions) -%}
    arg_min({{ value }}, ({{ order_expressions | join(', ') }}))
{%- endmacro %}

{% macro spark__arg_min(value, order_expressions) -%}
    min_by({{ value }}, case when {{ value }} is not null then struct({{ order_expressions | join(', ') }}) end)
{%- endmacro %}

{% macro arg_max(value, order_expressions) -%}
    {{ return(adapter.dispatch('arg_max', 'livewh')(value, order_expressions)) }}
{%- endmacro %}

{% macro default__arg_max(value, order_expressions) -%}
    arg_max({{ value }}, ({{ order_expressions | join(', ') }}))
{%- endmacro %}

{% macro spark__arg_max(value, order_expressions) -%}
    max_by({{ value }}, case when {{ value }} is not null then struct({{ order_expressions | join(', ') }}) end)
{%- endmacro %}

{# purpose: the distinct values of a text column in the group, sorted, joined by a separator (null for no values) #}
{% macro distinct_sorted_text(column, separator) -%}
    {{ return(adapter.dispatch('distinct_sorted_text', 'livewh')(column, separator)) }}
{%- endmacro %}

{% macro default__distinct_sorted_text(column, separator) -%}
    string_agg(distinct {{ column }}, '{{ separator }}' order by {{ column }})
{%- endmacro %}

{% macro spark__distinct_sorted_text(column, separator) -%}
    nullif(array_join(array_sort(collect_set({{ column }})), '{{ separator }}'), '')
{%- endmacro %}
