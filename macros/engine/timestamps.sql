{#- Engine-specific timestamp expressions (DuckDB, Apache Spark). Both engines run in UTC (the
    profile sets DuckDB's TimeZone and Spark's spark.sql.session.timeZone), so a timestamp
    without a zone is a UTC wall-clock time on both. -#}

{# purpose: an ISO 8601 text parsed into a naive UTC timestamp (an offset or Z converted, none = UTC, a date alone = midnight); null when it does not parse #}
{% macro text_to_utc_timestamp(expression) -%}
    {{ return(adapter.dispatch('text_to_utc_timestamp', 'livewh')(expression)) }}
{%- endmacro %}

{% macro default__text_to_utc_timestamp(expression) -%}
    cast(timezone('UTC', try_cast({{ expression }} as timestamptz)) as timestamp)
{%- endmacro %}

{% macro spark__text_to_utc_timestamp(expression) -%}
    try_cast({{ expression }} as timestamp)
{%- endmacro %}

{# purpose: a time-zone-aware timestamp column as a naive UTC timestamp (Spark's timestamp is already an instant shown in the session zone, UTC) #}
{% macro zoned_to_utc_timestamp(expression) -%}
    {{ return(adapter.dispatch('zoned_to_utc_timestamp', 'livewh')(expression)) }}
{%- endmacro %}

{% macro default__zoned_to_utc_timestamp(expression) -%}
    cast(timezone('UTC', {{ expression }}) as timestamp)
{%- endmacro %}

{% macro spark__zoned_to_utc_timestamp(expression) -%}
    cast({{ expression }} as timestamp)
{%- endmacro %}

{# purpose: ISO day of the week of a date or timestamp, Monday 1 to Sunday 7 #}
{% macro iso_weekday(expression) -%}
    {{ return(adapter.dispatch('iso_weekday', 'livewh')(expression)) }}
{%- endmacro %}

{% macro default__iso_weekday(expression) -%}
    isodow({{ expression }})
{%- endmacro %}

{% macro spark__iso_weekday(expression) -%}
    cast((dayofweek({{ expression }}) + 5) % 7 + 1 as bigint)
{%- endmacro %}

{# purpose: English name of the day of the week (Monday ... Sunday) #}
{% macro weekday_name(expression) -%}
    {{ return(adapter.dispatch('weekday_name', 'livewh')(expression)) }}
{%- endmacro %}

{% macro default__weekday_name(expression) -%}
    dayname({{ expression }})
{%- endmacro %}

{% macro spark__weekday_name(expression) -%}
    date_format({{ expression }}, 'EEEE')
{%- endmacro %}

{# purpose: whole days from one date to another (end minus start) as a bigint; null when either is null #}
{% macro days_between(start_date, end_date) -%}
    {{ return(adapter.dispatch('days_between', 'livewh')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__days_between(start_date, end_date) -%}
    ({{ end_date }} - {{ start_date }})
{%- endmacro %}

{#- Spark: subtracting dates gives an interval; datediff gives an int -#}
{% macro spark__days_between(start_date, end_date) -%}
    cast(datediff({{ end_date }}, {{ start_date }}) as bigint)
{%- endmacro %}
