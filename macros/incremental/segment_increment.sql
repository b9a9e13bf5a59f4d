{#
    The incremental path of the two segment models (int_customer_segment_states and
    int_customer_segments_evaluated). A state at an evaluation date depends on one person's
    activity up to that date; an RFM score also depends on the other buyers scored at that date.
    So an incremental run recomputes:
      - every person, at the dates from the last date the model holds (the old observation end,
        which moves) on;
      - the whole history of the people whose past changed (a late or corrected activity day, a
        merged-in account, a changed first-seen date, a person new to the model);
      - in int_customer_segments_evaluated, at each earlier date where one of those people (or a
        departed one) is or was an RFM-scored buyer, the ranks of every buyer there, and rewrites
        the rows whose scores moved.
    Departed people (erased, merged away) lose every row. The people and dates are worked out in
    a pre-hook, before its deletes, into a work table the model reads and a post-hook drops.
#}

{# purpose: the work table of a segment model's incremental run: what to recompute (kind 'person' with a customer_key, 'date' with a segment_date, 'row' with both) #}
{% macro segment_work_relation() -%}
    {{ this.schema }}.{{ this.identifier }}__recompute
{%- endmacro %}

{#
    purpose: how a segment model runs: {'incremental': false} to recompute everything (first run,
    full refresh, changed settings, nothing held, the earliest evaluation date moved, or the
    observation end moved back), else {'incremental': true, 'since': as in incremental_plan,
    'held_end': SQL date literal of the last date it holds}. `dates_relation` holds the current
    evaluation dates (int_segment_evaluation_dates, or the states for the evaluated segments).
#}
{% macro segment_increment(dates_relation) %}
    {%- set plan = incremental_plan() -%}
    {%- if plan.full -%}{{ return({'incremental': false}) }}{%- endif -%}
    {%- set probe -%}
        with
        held as (select min(segment_date) as first_date, max(segment_date) as end_date from {{ this }}),
        current_dates as (
            select min(segment_date) as first_date, max(segment_date) as end_date from {{ dates_relation }}
        )
        select held.end_date, held.first_date = current_dates.first_date and held.end_date <= current_dates.end_date
        from held cross join current_dates
    {%- endset -%}
    {%- set row = run_query(probe).rows[0] -%}
    {%- if row[0] is none or not row[1] -%}{{ return({'incremental': false}) }}{%- endif -%}
    {{ return({'incremental': true, 'since': plan.since, 'held_end': "cast('" ~ row[0] ~ "' as date)"}) }}
{% endmacro %}

{# purpose: the people int_customer_segment_states recomputes in full: activity changed before the held end, first-seen date changed, or new to the model #}
{% macro segment_states_people_to_recompute(increment) %}
    select activity.customer_key
    from {{ ref('int_customer_daily_activity') }} as activity
    where activity._changed_at > {{ increment.since }} and activity.activity_date < {{ increment.held_end }}
    union
    select persons.customer_key
    from {{ ref('int_persons_profiled') }} as persons
    left join {{ this }} as held
        on persons.customer_key = held.customer_key and held.segment_date = {{ increment.held_end }}
    where
        held.customer_key is null
        or held.first_seen_date
        is distinct from cast({{ utc_to_local('persons.first_seen_at', 'persons.market_time_zone') }} as date)
{% endmacro %}

{#
    purpose: what int_customer_segments_evaluated recomputes before the held end: the people whose
    states were rewritten there (kind 'person'); the dates where one of them, or a departed
    person, is or was RFM-scored (kind 'date': the buyers there are ranked again); and at those
    dates the rows of other people whose scores the new ranking moves (kind 'row')
#}
{% macro segments_evaluated_work(increment) %}
    with
    changed_states as (
        select customer_key, segment_date, rfm_purchase_days > 0 as is_scored
        from {{ ref('int_customer_segment_states') }}
        where _changed_at > {{ increment.since }} and segment_date < {{ increment.held_end }}
    ),
    changed_people as (
        select distinct customer_key from changed_states
    ),
    departed_people as (
        select distinct held.customer_key
        from {{ this }} as held
        anti join {{ ref('int_persons_profiled') }} as persons
            on held.customer_key = persons.customer_key
    ),
    moved_people as (
        select customer_key from changed_people
        union
        select customer_key from departed_people
    ),
    rank_dates as (
        select segment_date from changed_states where is_scored
        union
        select held.segment_date
        from {{ this }} as held
        semi join moved_people
            on held.customer_key = moved_people.customer_key
        where held.r_score is not null and held.segment_date < {{ increment.held_end }}
    ),
    ranked_buyers as (
        select states.*
        from {{ ref('int_customer_segment_states') }} as states
        semi join rank_dates
            on states.segment_date = rank_dates.segment_date
    ),
    new_scores as (
        {{ segment_rfm_scores('ranked_buyers', ['customer_key', 'segment_date']) }}
    ),
    held_scores as (
        select held.customer_key, held.segment_date, held.r_score, held.f_score, held.m_score
        from {{ this }} as held
        semi join rank_dates
            on held.segment_date = rank_dates.segment_date
        where held.r_score is not null
    ),
    rescored_rows as (
        -- unchanged people only: the rows of changed and departed people go anyway
        select new_scores.customer_key, new_scores.segment_date
        from new_scores
        inner join held_scores
            on
                new_scores.customer_key = held_scores.customer_key
                and new_scores.segment_date = held_scores.segment_date
        anti join moved_people
            on new_scores.customer_key = moved_people.customer_key
        where
            new_scores.r_score != held_scores.r_score
            or new_scores.f_score != held_scores.f_score
            or new_scores.m_score != held_scores.m_score
    )
    select 'person' as kind, customer_key, cast(null as date) as segment_date from changed_people
    union all
    select 'date' as kind, null as customer_key, segment_date from rank_dates
    union all
    select 'row' as kind, customer_key, segment_date from rescored_rows
{% endmacro %}

{# purpose: pre-hook of a segment model (work_kind 'states' or 'evaluated'; dates_relation as for segment_increment): on an incremental run, write the work table, then delete what the run recomputes and the rows of departed people; on a rebuild of an existing table, empty it #}
{% macro prepare_segment_increment(dates_relation, work_kind) %}
    {%- if execute and is_incremental() -%}
        {%- set increment = segment_increment(dates_relation) -%}
        {%- if not increment.incremental -%}
            delete from {{ this }}
        {%- else -%}
            {%- set work = segment_work_relation() -%}
            create or replace table {{ work }} as
            {% if work_kind == 'states' -%}
                select 'person' as kind, customer_key, cast(null as date) as segment_date
                from ({{ segment_states_people_to_recompute(increment) }}) as people
            {%- else -%}
                {{ segments_evaluated_work(increment) }}
            {%- endif %};
            delete from {{ this }} as held
            where
                held.segment_date >= {{ increment.held_end }}
                or held.customer_key in (select work.customer_key from {{ work }} as work where work.kind = 'person')
                or held.customer_key not in (select persons.customer_key from {{ ref('int_persons_profiled') }} as persons);
            delete from {{ this }} as held
            using {{ work }} as work
            where
                work.kind = 'row'
                and held.customer_key = work.customer_key
                and held.segment_date = work.segment_date
        {%- endif -%}
    {%- endif -%}
{% endmacro %}

{# purpose: post-hook of a segment model: drop the work table of its incremental run #}
{% macro drop_segment_work() %}
    {%- if execute and is_incremental() -%}
        drop table if exists {{ segment_work_relation() }}
    {%- endif -%}
{% endmacro %}
