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

{# purpose: the continuous (interpolated) quantile of a numeric expression at fraction (0 to 1), as a double #}
{% macro quantile_cont(expression, fraction) -%}
    {{ return(adapter.dispatch('quantile_cont', 'livewh')(expression, fraction)) }}
{%- endmacro %}

{% macro default__quantile_cont(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}

{#- Spark: percentile is exact and interpolates linearly between the closest ranks, as DuckDB's quantile_cont -#}
{% macro spark__quantile_cont(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}

{# purpose: the window function giving the last non-null value of an expression in the frame (follow it with over (...)) #}
{% macro last_value_ignore_nulls(expression) -%}
    {{ return(adapter.dispatch('last_value_ignore_nulls', 'livewh')(expression)) }}
{%- endmacro %}

{% macro default__last_value_ignore_nulls(expression) -%}
    last_value({{ expression }} ignore nulls)
{%- endmacro %}

{% macro spark__last_value_ignore_nulls(expression) -%}
    last_value({{ expression }}, true)
{%- endmacro %}

{# purpose: per row, the median of an expression over the rows of its partition up to and including it (in order), interpolated between the two middle values; nulls skipped, null when there are none #}
{% macro running_median(expression, partition_by, order_by) -%}
    {{ return(adapter.dispatch('running_median', 'livewh')(expression, partition_by, order_by)) }}
{%- endmacro %}

{% macro default__running_median(expression, partition_by, order_by) -%}
    median({{ expression }}) over (
        partition by {{ partition_by }} order by {{ order_by }} rows between unbounded preceding and current row
    )
{%- endmacro %}

{#- Spark refuses a frame for median/percentile: the values so far are collected, sorted, and the
    middle one (or the mean of the middle two) taken -#}
{% macro spark__running_median(expression, partition_by, order_by) -%}
    {%- set values_so_far -%}
        array_sort(collect_list({{ expression }}) over (
            partition by {{ partition_by }} order by {{ order_by }} rows between unbounded preceding and current row
        ))
    {%- endset -%}
    case
        when size({{ values_so_far }}) > 0
            then (
                element_at({{ values_so_far }}, cast(floor((size({{ values_so_far }}) + 1) / 2) as int))
                + element_at({{ values_so_far }}, cast(floor(size({{ values_so_far }}) / 2) + 1 as int))
            ) / 2
    end
{%- endmacro %}

{# purpose: the text values of the group joined by a separator in the order of an expression (nulls skipped; null for no values) #}
{% macro ordered_text_agg(column, separator, order_by) -%}
    {{ return(adapter.dispatch('ordered_text_agg', 'livewh')(column, separator, order_by)) }}
{%- endmacro %}

{% macro default__ordered_text_agg(column, separator, order_by) -%}
    string_agg({{ column }}, {{ separator }} order by {{ order_by }})
{%- endmacro %}

{#- Spark: collect (ordering, value) pairs, sort them, keep the values; array_join skips nulls -#}
{% macro spark__ordered_text_agg(column, separator, order_by) -%}
    nullif(array_join(transform(
        array_sort(collect_list(named_struct('ordering', {{ order_by }}, 'value', {{ column }}))),
        entry -> entry.value
    ), {{ separator }}), '')
{%- endmacro %}

{# purpose: integer division truncating toward zero (-7 / 2 gives -3), as both DuckDB's // and Spark's div do #}
{% macro integer_divide(dividend, divisor) -%}
    {{ return(adapter.dispatch('integer_divide', 'livewh')(dividend, divisor)) }}
{%- endmacro %}

{% macro default__integer_divide(dividend, divisor) -%}
    (({{ dividend }}) // ({{ divisor }}))
{%- endmacro %}

{% macro spark__integer_divide(dividend, divisor) -%}
    (({{ dividend }}) div ({{ divisor }}))
{%- endmacro %}
