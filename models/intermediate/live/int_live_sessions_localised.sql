-- One row per accepted broadcast, with its start in the market's local time.
with

live_sessions as (
    select * from {{ ref('int_live_sessions_validated') }}
    where quarantine_reason is null
),

countries as (
    select * from {{ ref('country_reference') }}
),

localised as (
    select
        live_sessions.session_id,
        live_sessions.host_id,
        live_sessions.platform,
        live_sessions.market_country_code,
        coalesce(countries.region, 'Unknown') as market_region,
        coalesce(countries.time_zone, 'UTC') as market_time_zone,
        coalesce(live_sessions.language_code, countries.default_language, 'und') as language_code,
        live_sessions.started_at,
        live_sessions.ended_at,
        live_sessions.scheduled_start_at,
        {{ utc_to_local('live_sessions.started_at', "coalesce(countries.time_zone, 'UTC')") }} as started_at_local
    from live_sessions
    left join countries
        on live_sessions.market_country_code = countries.country_code
),

final as (
    select
        session_id,
        host_id,
        platform,
        market_country_code,
        market_region,
        market_time_zone,
        language_code,
        started_at,
        ended_at,
        scheduled_start_at,
        started_at_local,
        cast(started_at_local as date) as start_date_local,
        {{ iso_weekday('started_at_local') }} as start_weekday_local,
        {{ weekday_name('started_at_local') }} as start_weekday_name_local,
        cast(hour(started_at_local) as bigint) as start_hour_local,
        {{ dbt.datediff('started_at', 'ended_at', 'second') }}
            as duration_seconds,
        cast({{ decimal_ratio(dbt.datediff('started_at', 'ended_at', 'second'), '60', 2) }} as double)
            as duration_minutes,
        {{ dbt.datediff('scheduled_start_at', 'started_at', 'second') }}
            as start_delay_seconds
    from localised
)

select * from final
