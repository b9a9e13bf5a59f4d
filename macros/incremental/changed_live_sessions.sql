{#
    purpose: the broadcasts whose live facts may have changed after `since`: a changed or removed
    event, a changed broadcast, a changed quality sample, or a changed order attributed to it
    (now or before the change); with config changed_sessions_follow_people, also the broadcasts
    watched by people whose attributes (market) changed. The session-keyed incremental live
    models recompute exactly these. A model calling it declares its inputs with
    `-- depends_on:` comments.
#}
{% macro changed_live_sessions(since) -%}
    select session_id from {{ ref('int_live_events_resolved') }}
    where _changed_at > {{ since }}
    union
    select session_id from {{ ref('int_live_sessions_validated') }}
    where _changed_at > {{ since }} and session_id is not null
    union
    select session_id from {{ ref('int_stream_quality_samples_validated') }}
    where _changed_at > {{ since }} and session_id is not null
    union
    select live_session_id from {{ ref('int_orders_enriched') }}
    where _changed_at > {{ since }} and live_session_id is not null
    union
    select _previous_live_session_id from {{ ref('int_orders_enriched') }}
    where _changed_at > {{ since }} and _previous_live_session_id is not null
    {%- if config.get('changed_sessions_follow_people', false) %}
    union
    select viewer_sessions.session_id
    from {{ ref('int_viewer_sessions_aggregated') }} as viewer_sessions
    inner join {{ ref('int_persons') }} as persons
        on viewer_sessions.customer_key = persons.customer_key
    where persons._changed_at > {{ since }}
    {%- endif %}
{%- endmacro %}
