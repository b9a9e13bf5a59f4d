{# purpose: wall-clock time in an IANA time zone of a naive UTC timestamp (independent of the session TimeZone) #}
{% macro utc_to_local(utc_timestamp, time_zone) -%}
    {{ return(adapter.dispatch('utc_to_local', 'livewh')(utc_timestamp, time_zone)) }}
{%- endmacro %}

{% macro default__utc_to_local(utc_timestamp, time_zone) -%}
    timezone({{ time_zone }}, timezone('UTC', {{ utc_timestamp }}))
{%- endmacro %}

{% macro spark__utc_to_local(utc_timestamp, time_zone) -%}
    from_utc_timestamp({{ utc_timestamp }}, {{ time_zone }})
{%- endmacro %}
