{{ config(changed_sessions_follow_people=true, **session_keyed_incremental_config()) }}
-- depends_on: {{ ref('int_persons') }}
{%- set plan = incremental_plan() -%}
-- depends_on: {{ ref('int_live_events_resolved') }}
-- depends_on: {{ ref('int_live_sessions_validated') }}
-- depends_on: {{ ref('int_orders_enriched') }}
-- One row per viewer-session with a join (int_viewer_sessions_aggregated.has_joined): the stream quality
-- the viewer experienced and its latency and freeze-ratio bands (edges in the seeds
-- latency_bands and freeze_ratio_bands; a band includes its lower edge and excludes its upper).
-- Quality comes from the first of these sample sets that is not empty (quality_source):
--   viewer           the viewer's own samples in the session (samples carry viewer_id)
--   session_country  all samples of the session from the viewer's country (the market country
--                    of the viewer's person; samples reported per session only)
--   session          all samples of the session
--   none             the session has no accepted samples: latency and bands unknown
-- Latency = median of the set's latency_ms; freeze ratio = sum(freeze_ms) / sum(interval_ms)
-- over the set's samples that carry both (null when none does). Incremental by broadcast
-- (changed_live_sessions, and the broadcasts of people whose market changed).
with
{{ changed_sessions_cte(plan) }}

viewer_sessions as (
    select * from {{ ref('int_viewer_sessions_aggregated') }}
    where has_joined {{- only_changed_sessions(plan) }}
),

samples as (
    select * from {{ ref('int_stream_quality_samples_validated') }}
    where quarantine_reason is null {{- only_changed_sessions(plan) }}
),

customers as (
    select * from {{ ref('int_persons_profiled') }}
),

latency_bands as (
    select * from {{ ref('latency_bands') }}
),

freeze_ratio_bands as (
    select * from {{ ref('freeze_ratio_bands') }}
),

samples_measured as (
    select
        session_id,
        viewer_id,
        country_code,
        latency_ms,
        case when freeze_ms is not null and interval_ms is not null then freeze_ms end as freeze_ms,
        case when freeze_ms is not null and interval_ms is not null then interval_ms end as sampled_ms
    from samples
),

per_viewer as (
    select
        session_id,
        viewer_id,
        count(*) as sample_count,
        {{ quantile_cont('latency_ms', 0.5) }} as latency_ms,
        sum(freeze_ms) as freeze_ms,
        sum(sampled_ms) as sampled_ms
    from samples_measured
    where viewer_id is not null
    group by session_id, viewer_id
),

per_session_country as (
    select
        session_id,
        country_code,
        count(*) as sample_count,
        {{ quantile_cont('latency_ms', 0.5) }} as latency_ms,
        sum(freeze_ms) as freeze_ms,
        sum(sampled_ms) as sampled_ms
    from samples_measured
    where country_code is not null
    group by session_id, country_code
),

per_session as (
    select
        session_id,
        count(*) as sample_count,
        {{ quantile_cont('latency_ms', 0.5) }} as latency_ms,
        sum(freeze_ms) as freeze_ms,
        sum(sampled_ms) as sampled_ms
    from samples_measured
    group by session_id
),

viewer_sessions_with_country as (
    select
        viewer_sessions.session_id,
        viewer_sessions.viewer_id,
        viewer_sessions.customer_key,
        customers.market_country_code as viewer_country_code
    from viewer_sessions
    left join customers
        on viewer_sessions.customer_key = customers.customer_key
),

assigned as (
    select
        viewer_sessions_with_country.session_id,
        viewer_sessions_with_country.viewer_id,
        viewer_sessions_with_country.customer_key,
        viewer_sessions_with_country.viewer_country_code,
        case
            when per_viewer.session_id is not null then 'viewer'
            when per_session_country.session_id is not null then 'session_country'
            when per_session.session_id is not null then 'session'
            else 'none'
        end as quality_source,
        case
            when per_viewer.session_id is not null then per_viewer.sample_count
            when per_session_country.session_id is not null then per_session_country.sample_count
            else coalesce(per_session.sample_count, 0)
        end as sample_count,
        case
            when per_viewer.session_id is not null then per_viewer.latency_ms
            when per_session_country.session_id is not null then per_session_country.latency_ms
            else per_session.latency_ms
        end as latency_ms,
        case
            when per_viewer.session_id is not null then per_viewer.freeze_ms / nullif(per_viewer.sampled_ms, 0)
            when per_session_country.session_id is not null
                then per_session_country.freeze_ms / nullif(per_session_country.sampled_ms, 0)
            else per_session.freeze_ms / nullif(per_session.sampled_ms, 0)
        end as freeze_ratio
    from viewer_sessions_with_country
    left join per_viewer
        on
            viewer_sessions_with_country.session_id = per_viewer.session_id
            and viewer_sessions_with_country.viewer_id = per_viewer.viewer_id
    left join per_session_country
        on
            viewer_sessions_with_country.session_id = per_session_country.session_id
            and viewer_sessions_with_country.viewer_country_code = per_session_country.country_code
    left join per_session
        on viewer_sessions_with_country.session_id = per_session.session_id
),

banded as (
    select
        assigned.*,
        coalesce(latency_bands.latency_band, 'unknown') as latency_band,
        latency_bands.band_order as latency_band_order,
        coalesce(freeze_ratio_bands.freeze_ratio_band, 'unknown') as freeze_ratio_band,
        freeze_ratio_bands.band_order as freeze_ratio_band_order
    from assigned
    left join latency_bands
        on
            assigned.latency_ms >= latency_bands.min_latency_ms
            and (assigned.latency_ms < latency_bands.max_latency_ms or latency_bands.max_latency_ms is null)
    left join freeze_ratio_bands
        on
            assigned.freeze_ratio >= freeze_ratio_bands.min_freeze_ratio
            and (
                assigned.freeze_ratio < freeze_ratio_bands.max_freeze_ratio
                or freeze_ratio_bands.max_freeze_ratio is null
            )
),

final as (
    select
        *,
        {{ run_stamp() }} as _changed_at
    from banded
)

select * from final
