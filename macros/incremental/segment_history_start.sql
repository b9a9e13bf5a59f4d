{#
    purpose: the first evaluation date the segment history recomputes (a SQL date literal), or
    none to recompute every date. Full when the model rebuilds in full or someone it holds no
    longer exists (erased, merged away: every rank changes); otherwise the earliest of: the last
    date it holds (the observation end moves), the earliest day whose activity changed, and the
    first-seen date of anyone whose first-seen date changed. `upstream` is the model whose
    changed rows say which days changed, with its date column.
#}
{% macro segment_history_start(plan, upstream, upstream_date_column) %}
    {%- if plan.full -%}{{ return(none) }}{%- endif -%}
    {%- set probe -%}
        with
        held as (
            select customer_key, first_seen_date
            from {{ this }}
            where segment_date = (select max(segment_date) from {{ this }})
        ),
        persons as (
            select
                customer_key,
                cast({{ utc_to_local('first_seen_at', 'market_time_zone') }} as date) as first_seen_date
            from {{ ref('int_persons_profiled') }}
        )
        select
            (select count(*) from held left join persons using (customer_key) where persons.customer_key is null)
                as departed_people,
            least(
                (select max(segment_date) from {{ this }}),
                (select min({{ upstream_date_column }}) from {{ upstream }} where _changed_at > {{ plan.since }}),
                (select min(least(held.first_seen_date, persons.first_seen_date))
                 from held inner join persons using (customer_key)
                 where held.first_seen_date != persons.first_seen_date)
            ) as start_date
    {%- endset -%}
    {%- set result = run_query(probe) -%}
    {%- if result.rows[0][0] > 0 or result.rows[0][1] is none -%}{{ return(none) }}{%- endif -%}
    {{ return("cast('" ~ result.rows[0][1] ~ "' as date)") }}
{% endmacro %}
