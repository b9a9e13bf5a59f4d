-- One row per person (dim_customers): the best market-local hour to contact them, for send-time
-- targeting. Their own hour (the most frequent local hour of their live joins and qualifying orders,
-- int_customer_contact_hours) once they have at least var('contact_hour_min_events') (3) of them;
-- otherwise their market's best live hour (rpt_live_timeslots: the hour ranked first by GPM, among
-- hours with enough broadcasts); null when neither exists.
with

customers as (
    select * from {{ ref('dim_customers') }}
),

own_hours as (
    select * from {{ ref('int_customer_contact_hours') }}
),

timeslots as (
    select * from {{ ref('rpt_live_timeslots') }}
),

market_hours as (
    select distinct
        market_country_code,
        start_hour_local as market_best_local_hour
    from timeslots
    where hour_gpm_rank_in_market = 1
),

final as (
    select
        customers.customer_key,
        customers.market_country_code,
        customers.market_time_zone,
        coalesce(own_hours.events, 0) as own_events,
        own_hours.best_local_hour as own_best_local_hour,
        own_hours.events_in_best_hour as own_events_in_best_hour,
        market_hours.market_best_local_hour,
        case
            when own_hours.events >= {{ var('contact_hour_min_events') }} then own_hours.best_local_hour
            else market_hours.market_best_local_hour
        end as best_contact_hour_local,
        case
            when own_hours.events >= {{ var('contact_hour_min_events') }} then 'own_history'
            when market_hours.market_best_local_hour is not null then 'market_best_hour'
            else 'none'
        end as contact_hour_source
    from customers
    left join own_hours
        on customers.customer_key = own_hours.customer_key
    left join market_hours
        on customers.market_country_code = market_hours.market_country_code
)

select * from final
