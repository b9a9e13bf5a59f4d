{#- Engine-specific row generators and date labels (DuckDB, Apache Spark). -#}

{# purpose: in a select list, one output row per integer from start (inclusive) to stop (exclusive); none when stop <= start #}
{% macro unnest_integer_range(start, stop) -%}
    {{ return(adapter.dispatch('unnest_integer_range', 'livewh')(start, stop)) }}
{%- endmacro %}

{% macro default__unnest_integer_range(start, stop) -%}
    unnest(range({{ start }}, {{ stop }}))
{%- endmacro %}

{#- Spark: sequence() includes its end and counts down when start > end; explode(null) gives no
    row (no filter lambda: Spark refuses a subquery inside a higher-order function) -#}
{% macro spark__unnest_integer_range(start, stop) -%}
    explode(case when {{ start }} < {{ stop }} then sequence({{ start }}, {{ stop }} - 1) end)
{%- endmacro %}

{# purpose: in a select list, one output row per date from start to stop (both inclusive) in steps of an interval expression (interval 1 month), as dates #}
{% macro unnest_date_series(start, stop, step) -%}
    {{ return(adapter.dispatch('unnest_date_series', 'livewh')(start, stop, step)) }}
{%- endmacro %}

{% macro default__unnest_date_series(start, stop, step) -%}
    cast(unnest(generate_series(cast({{ start }} as date), cast({{ stop }} as date), {{ step }})) as date)
{%- endmacro %}

{#- Spark: sequence() of dates counts down when start > stop; explode(null) gives no row -#}
{% macro spark__unnest_date_series(start, stop, step) -%}
    explode(case
        when cast({{ start }} as date) <= cast({{ stop }} as date)
            then sequence(cast({{ start }} as date), cast({{ stop }} as date), {{ step }})
    end)
{%- endmacro %}

{# purpose: a date's label for a period grain: 'month' gives 2025-03, 'iso_week' the ISO week 2025-W09 (ISO year, Monday weeks) #}
{% macro date_label(expression, grain) -%}
    {{ return(adapter.dispatch('date_label', 'livewh')(expression, grain)) }}
{%- endmacro %}

{% macro default__date_label(expression, grain) -%}
    {%- if grain == 'month' -%}
        strftime({{ expression }}, '%Y-%m')
    {%- elif grain == 'iso_week' -%}
        strftime({{ expression }}, '%G-W%V')
    {%- else -%}
        {{ exceptions.raise_compiler_error("date_label: unknown grain '" ~ grain ~ "' (month, iso_week)") }}
    {%- endif -%}
{%- endmacro %}

{#- Spark: no week-based pattern letters in date_format; the ISO year and week are extracted -#}
{% macro spark__date_label(expression, grain) -%}
    {%- if grain == 'month' -%}
        date_format({{ expression }}, 'yyyy-MM')
    {%- elif grain == 'iso_week' -%}
        concat(
            cast(extract(yearofweek from {{ expression }}) as string), '-W',
            lpad(cast(weekofyear({{ expression }}) as string), 2, '0')
        )
    {%- else -%}
        {{ exceptions.raise_compiler_error("date_label: unknown grain '" ~ grain ~ "' (month, iso_week)") }}
    {%- endif -%}
{%- endmacro %}
