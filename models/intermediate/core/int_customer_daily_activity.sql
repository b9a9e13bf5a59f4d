{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='delete+insert',
    unique_key=['customer_key', 'activity_date'],
    on_schema_change='append_new_columns',
    pre_hook=["{{ incremental_reset() }}", "{{ delete_departed_people() }}"],
    post_hook="{{ record_incremental_state() }}"
) }}
{%- set plan = incremental_plan() -%}
-- One row per person per market-local day with any purchase or live activity: qualifying
-- orders, their money and the category of the day's largest line, live interactions by type,
-- broadcasts watched, and whether the day
-- counts as activity (a purchase, a live interaction, or a broadcast watched for at least
-- min_watch_seconds_for_activity seconds, summed over the person's viewer ids and dated by its
-- first join). The building block of lifecycle, RFM, interaction depth and segment history.
--
-- Incremental: a run recomputes the days touched by changed orders, events or viewer-sessions,
-- and every day of a person whose attributes (time zone) changed; a day keeps its _changed_at
-- when its figures are the same, and a day with nothing left becomes a tombstone (_is_deleted)
-- so the segment history sees the change. Rows of people who no longer exist (erased, merged
-- into another person) are deleted first (delete_departed_people).
with

persons {{ not_materialized() }} (
    select * from {{ ref('int_persons') }}
),
{%- if not plan.full %}

changed_people as (
    select customer_key
    from persons
    where _changed_at > {{ plan.since }}
),

changed_days as (
    -- (person, local day) touched by a change; the local day uses the person's current time zone
    select
        orders.customer_key,
        orders.order_date_local as activity_date
    from {{ ref('int_orders_enriched') }} as orders
    where orders._changed_at > {{ plan.since }}
    union
    select
        orders._previous_customer_key,
        orders.order_date_local
    from {{ ref('int_orders_enriched') }} as orders
    where orders._changed_at > {{ plan.since }}
    union
    select
        events.customer_key,
        cast({{ utc_to_local('events.event_at', 'persons.market_time_zone') }} as date)
    from {{ ref('int_live_events_resolved') }} as events
    inner join persons
        on events.customer_key = persons.customer_key
    where events._changed_at > {{ plan.since }}
    union
    select
        order_items.customer_key,
        order_items.order_date_local
    from {{ ref('int_order_items_enriched') }} as order_items
    where order_items._changed_at > {{ plan.since }}
    union
    select
        viewer_sessions.customer_key,
        cast({{ utc_to_local('viewer_sessions.first_joined_at', 'persons.market_time_zone') }} as date)
    from {{ ref('int_viewer_sessions_aggregated') }} as viewer_sessions
    inner join persons
        on viewer_sessions.customer_key = persons.customer_key
    where viewer_sessions._changed_at > {{ plan.since }} and viewer_sessions.first_joined_at is not null
),

changed_person_days as (
    -- a changed day of a person whose other days did not change
    select distinct changed_days.customer_key, changed_days.activity_date
    from changed_days
    left join changed_people
        on changed_days.customer_key = changed_people.customer_key
    where changed_days.customer_key is not null and changed_people.customer_key is null
),

scope_people as (
    select customer_key from changed_people
    union
    select customer_key from changed_person_days
),
{%- endif %}

orders as (
    select * from {{ ref('int_orders_enriched') }}
    where is_qualifying
    {%- if not plan.full %}
        and customer_key in (select scope_people.customer_key from scope_people)
    {%- endif %}
),

live_events as (
    select * from {{ ref('int_live_events_resolved') }}
    where customer_key is not null and not _is_deleted
    {%- if not plan.full %}
        and customer_key in (select scope_people.customer_key from scope_people)
    {%- endif %}
),

viewer_sessions as (
    select * from {{ ref('int_viewer_sessions_aggregated') }}
    where has_joined and customer_key is not null
    {%- if not plan.full %}
        and customer_key in (select scope_people.customer_key from scope_people)
    {%- endif %}
),

order_items as (
    select * from {{ ref('int_order_items_enriched') }}
    where is_qualifying
    {%- if not plan.full %}
        and customer_key in (select scope_people.customer_key from scope_people)
    {%- endif %}
),

purchases as (
    select
        customer_key,
        order_date_local as activity_date,
        count(*) as qualifying_orders,
        sum(gross_usd) as gross_usd,
        sum(net_usd) as net_usd
    from orders
    group by customer_key, order_date_local
),

purchase_categories as (
    -- the category of the largest qualifying line bought that day
    select
        customer_key,
        order_date_local as activity_date,
        {{ arg_min('category', ['-line_amount_usd', 'order_id', 'line_number']) }} as purchase_category
    from order_items
    group by customer_key, order_date_local
),

live_activity as (
    select
        live_events.customer_key,
        cast({{ utc_to_local('live_events.event_at', 'persons.market_time_zone') }} as date) as activity_date,
        {%- for event_type in enum_values('live_interaction_type') %}
            count(*) filter (where live_events.event_type = '{{ event_type }}') as {{ event_type }}s,
        {%- endfor %}
        count(*) filter (where live_events.event_type = 'join') as joins,
        count(*) filter (where live_events.is_interaction) as interactions
    from live_events
    inner join persons
        on live_events.customer_key = persons.customer_key
    group by live_events.customer_key, activity_date
),

broadcasts_watched as (
    -- a broadcast watched long enough by the person (all their viewer ids together), on the
    -- local day of their first join
    select
        viewer_sessions.customer_key,
        cast({{ utc_to_local('min(viewer_sessions.first_joined_at)', 'any_value(persons.market_time_zone)') }} as date)
            as activity_date
    from viewer_sessions
    inner join persons
        on viewer_sessions.customer_key = persons.customer_key
    group by viewer_sessions.customer_key, viewer_sessions.session_id
    having sum(viewer_sessions.watch_seconds) >= {{ var('min_watch_seconds_for_activity') }}
),

watching as (
    select
        customer_key,
        activity_date,
        count(*) as broadcasts_watched
    from broadcasts_watched
    group by customer_key, activity_date
),

days as (
    select
        customer_key,
        activity_date
    from purchases
    union
    select
        customer_key,
        activity_date
    from live_activity
    union
    select
        customer_key,
        activity_date
    from watching
),
{%- if not plan.full %}

days_in_scope as (
    -- every day of a changed person, and the changed days of the others (disjoint)
    select days.*
    from days
    inner join changed_people
        on days.customer_key = changed_people.customer_key
    union all
    select days.*
    from days
    inner join changed_person_days
        on
            days.customer_key = changed_person_days.customer_key
            and days.activity_date = changed_person_days.activity_date
),
{%- else %}

    days_in_scope as (
        select * from days
    ),
{%- endif %}

combined as (
    select
        days_in_scope.customer_key,
        days_in_scope.activity_date,
        purchases.customer_key is not null as is_purchase_day,
        coalesce(purchases.qualifying_orders, 0) as qualifying_orders,
        coalesce(purchases.gross_usd, 0) as gross_usd,
        coalesce(purchases.net_usd, 0) as net_usd,
        case when purchases.customer_key is not null then coalesce(purchase_categories.purchase_category, 'unknown') end
            as purchase_category,
        coalesce(live_activity.joins, 0) as joins,
        coalesce(live_activity.interactions, 0) as interactions,
        {%- for event_type in enum_values('live_interaction_type') %}
            coalesce(live_activity.{{ event_type }}s, 0) as {{ event_type }}s,
        {%- endfor %}
        coalesce(watching.broadcasts_watched, 0) as broadcasts_watched,
        coalesce(live_activity.interactions, 0) > 0
        or purchases.customer_key is not null
        or coalesce(watching.broadcasts_watched, 0) > 0 as is_active_day,
        false as _is_deleted
    from days_in_scope
    left join purchases
        on days_in_scope.customer_key = purchases.customer_key and days_in_scope.activity_date = purchases.activity_date
    left join live_activity
        on
            days_in_scope.customer_key = live_activity.customer_key
            and days_in_scope.activity_date = live_activity.activity_date
    left join purchase_categories
        on
            days_in_scope.customer_key = purchase_categories.customer_key
            and days_in_scope.activity_date = purchase_categories.activity_date
    left join watching
        on days_in_scope.customer_key = watching.customer_key and days_in_scope.activity_date = watching.activity_date
),

hashed as (
    select
        *,
        {%- set hashed_columns = ['is_purchase_day', 'qualifying_orders', 'gross_usd', 'net_usd', 'purchase_category',
            'joins', 'interactions'] %}
        {%- for event_type in enum_values('live_interaction_type') %}
            {%- do hashed_columns.append(event_type ~ 's') %}
        {%- endfor %}
        {%- do hashed_columns.append('broadcasts_watched') %}
        {{ row_hash(hashed_columns) }} as _row_hash
    from combined
),
{%- if not plan.full %}

previous_in_scope as (
    select previous.*
    from {{ this }} as previous
    inner join changed_people
        on previous.customer_key = changed_people.customer_key
    where not previous._is_deleted
    union all
    select previous.*
    from {{ this }} as previous
    inner join changed_person_days
        on
            previous.customer_key = changed_person_days.customer_key
            and previous.activity_date = changed_person_days.activity_date
    where not previous._is_deleted
),

final as (
    select
        hashed.*,
        case
            when previous_in_scope._row_hash = hashed._row_hash then previous_in_scope._changed_at
            else {{ run_stamp() }}
        end as _changed_at
    from hashed
    left join previous_in_scope
        on
            hashed.customer_key = previous_in_scope.customer_key
            and hashed.activity_date = previous_in_scope.activity_date
    union all by name
    -- days that had activity and have none now: tombstones
    select
        previous_in_scope.customer_key,
        previous_in_scope.activity_date,
        true as _is_deleted,
        {{ run_stamp() }} as _changed_at
    from previous_in_scope
    left join hashed
        on
            previous_in_scope.customer_key = hashed.customer_key
            and previous_in_scope.activity_date = hashed.activity_date
    where hashed.customer_key is null
)
{%- else %}

    final as (
        select
            *,
            {{ run_stamp() }} as _changed_at
        from hashed
    )
{%- endif %}

select * from final
