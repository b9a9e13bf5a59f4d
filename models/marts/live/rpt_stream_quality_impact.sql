-- One row per quality dimension (band_type: latency or freeze_ratio) x band x broadcast market:
-- how the viewer-sessions that experienced that quality watched and bought. A viewer-session is
-- a viewer who joined a broadcast; its latency and freeze ratio come from
-- int_live_viewer_session_quality (own samples, else the session's samples from the viewer's
-- country, else all the session's samples; 'unknown' band when the session has no samples).
-- Early exit: total watch under 60 s, ended by a leave. Conversion and GMV per viewer use the
-- broadcast's counted orders (int_live_viewer_session_outcomes). The best band of a market and
-- band type is its best-quality comparable band: the lowest band_order among the known bands with
-- at least var('live_quality_min_band_viewer_sessions', 100) viewer-sessions (chosen on quality,
-- not on the outcome, so noise in GMV per viewer does not pick it). GMV at risk of a band =
-- max(0, best band's GMV per viewer - the band's) x the band's viewer-sessions: the net GMV the
-- band's viewers would have brought at the best band's rate (null for the unknown band or when no
-- band is large enough). Markets are compared within themselves, because latency and buying
-- habits both differ by market.
{%- set min_band_viewer_sessions = var('live_quality_min_band_viewer_sessions', 100) %}
with

viewer_session_quality as (
    select * from {{ ref('int_live_viewer_session_quality') }}
),

viewer_session_outcomes as (
    select * from {{ ref('int_live_viewer_session_outcomes') }}
),

live_sessions as (
    select * from {{ ref('dim_live_sessions') }}
),

viewer_sessions_scored as (
    select
        viewer_session_outcomes.session_id,
        viewer_session_outcomes.viewer_id,
        live_sessions.market_country_code,
        viewer_session_quality.latency_ms,
        viewer_session_quality.latency_band,
        viewer_session_quality.latency_band_order,
        viewer_session_quality.freeze_ratio,
        viewer_session_quality.freeze_ratio_band,
        viewer_session_quality.freeze_ratio_band_order,
        viewer_session_outcomes.watch_seconds,
        viewer_session_outcomes.is_early_exit,
        viewer_session_outcomes.has_counted_order,
        viewer_session_outcomes.counted_net_usd
    from viewer_session_outcomes
    inner join viewer_session_quality
        on
            viewer_session_outcomes.session_id = viewer_session_quality.session_id
            and viewer_session_outcomes.viewer_id = viewer_session_quality.viewer_id
    inner join live_sessions
        on viewer_session_outcomes.session_id = live_sessions.session_id
),

by_band as (
    select
        'latency' as band_type,
        latency_band as band,
        latency_band_order as band_order,
        market_country_code,
        count(*) as viewer_sessions,
        sum(watch_seconds) as watch_seconds,
        count(*) filter (where is_early_exit) as early_exits,
        count(*) filter (where has_counted_order) as converted_viewer_sessions,
        sum(counted_net_usd) as gmv_net_usd,
        {{ quantile_cont('latency_ms', 0.5) }} as median_latency_ms,
        {{ exact_avg('freeze_ratio') }} as mean_freeze_ratio
    from viewer_sessions_scored
    group by latency_band, latency_band_order, market_country_code
    union all
    select
        'freeze_ratio' as band_type,
        freeze_ratio_band as band,
        freeze_ratio_band_order as band_order,
        market_country_code,
        count(*) as viewer_sessions,
        sum(watch_seconds) as watch_seconds,
        count(*) filter (where is_early_exit) as early_exits,
        count(*) filter (where has_counted_order) as converted_viewer_sessions,
        sum(counted_net_usd) as gmv_net_usd,
        {{ quantile_cont('latency_ms', 0.5) }} as median_latency_ms,
        {{ exact_avg('freeze_ratio') }} as mean_freeze_ratio
    from viewer_sessions_scored
    group by freeze_ratio_band, freeze_ratio_band_order, market_country_code
),

rated as (
    select
        *,
        cast({{ decimal_ratio('watch_seconds', '60 * viewer_sessions', 2) }} as double) as avg_watch_minutes,
        early_exits / viewer_sessions as early_exit_share,
        converted_viewer_sessions / viewer_sessions as conversion_rate,
        gmv_net_usd / viewer_sessions as gmv_per_viewer_usd,
        band != 'unknown' and viewer_sessions >= {{ min_band_viewer_sessions }} as is_comparable_band
    from by_band
),

best_bands as (
    select
        band_type,
        market_country_code,
        {{ arg_min('band', ['band_order']) }} as best_band,
        min(band_order) as best_band_order,
        {{ arg_min('gmv_per_viewer_usd', ['band_order']) }} as best_band_gmv_per_viewer_usd
    from rated
    where is_comparable_band
    group by band_type, market_country_code
),

final as (
    select
        rated.band_type,
        rated.band,
        rated.band_order,
        rated.market_country_code,
        rated.viewer_sessions,
        rated.median_latency_ms,
        rated.mean_freeze_ratio,
        rated.avg_watch_minutes,
        rated.early_exits,
        rated.early_exit_share,
        rated.converted_viewer_sessions,
        rated.conversion_rate,
        cast(rated.gmv_net_usd as decimal(18, 4)) as gmv_net_usd,
        cast(rated.gmv_per_viewer_usd as decimal(18, 4)) as gmv_per_viewer_usd,
        rated.is_comparable_band,
        best_bands.best_band,
        cast(best_bands.best_band_gmv_per_viewer_usd as decimal(18, 4)) as best_band_gmv_per_viewer_usd,
        coalesce(rated.band = best_bands.best_band, false) as is_best_band,
        case
            -- a band as good as the best one or better is never charged (it may simply have
            -- too few viewer-sessions to be the comparable best)
            when rated.band != 'unknown' and rated.band_order <= best_bands.best_band_order
                then cast(0 as decimal(18, 4))
            when rated.band != 'unknown' and best_bands.best_band is not null
                then cast(
                    greatest(0, best_bands.best_band_gmv_per_viewer_usd - rated.gmv_per_viewer_usd)
                    * rated.viewer_sessions as decimal(18, 4)
                )
        end as gmv_at_risk_usd
    from rated
    left join best_bands
        on
            rated.band_type = best_bands.band_type
            and rated.market_country_code = best_bands.market_country_code
)

select * from final
