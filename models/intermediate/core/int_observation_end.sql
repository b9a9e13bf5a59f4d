-- The observation end (as_of_date) every "as of" figure is computed at: the as_of_date var
-- when set, otherwise the latest UTC date of an accepted order or live event. Never the wall
-- clock, so a rebuild on the same data gives the same figures.
with

orders as (
    select * from {{ ref('int_orders_validated') }}
    where quarantine_reason is null
),

live_events as (
    select * from {{ ref('int_live_events_validated') }}
    where quarantine_reason is null
),

latest as (
    select max(cast(ordered_at as date)) as latest_date from orders
    union all
    select max(cast(event_at as date)) as latest_date from live_events
),

final as (
    {%- if var('as_of_date', '') | string | trim != '' %}
        select
            cast('{{ var("as_of_date") }}' as date) as as_of_date,
            'var' as as_of_date_source
    {%- else %}
        select
            max(latest_date) as as_of_date,
            'latest_data' as as_of_date_source
        from latest
    {%- endif %}
)

select * from final
