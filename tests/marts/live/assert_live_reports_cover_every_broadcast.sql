-- The reports partition what they summarise: time slots and host-months each add up to all
-- broadcasts, viewers and net GMV of fct_live_session_performance; each band type of the
-- stream-quality report adds up to all viewer-sessions (the broadcasts' viewers). Returns the
-- report whose totals differ.
with

session_performance as (
    select * from {{ ref('fct_live_session_performance') }}
),

timeslots as (
    select * from {{ ref('rpt_live_timeslots') }}
),

hosts as (
    select * from {{ ref('rpt_live_hosts') }}
),

quality_impact as (
    select * from {{ ref('rpt_stream_quality_impact') }}
),

expected as (
    select
        count(*) as broadcasts,
        coalesce(sum(viewers), 0) as viewers,
        coalesce(sum(gmv_net_usd), 0) as gmv_net_usd
    from session_performance
),

report_totals as (
    select
        'rpt_live_timeslots' as report,
        coalesce(sum(broadcasts), 0) as broadcasts,
        coalesce(sum(viewers), 0) as viewers,
        coalesce(sum(gmv_net_usd), 0) as gmv_net_usd
    from timeslots
    union all
    select
        'rpt_live_hosts' as report,
        coalesce(sum(broadcasts), 0) as broadcasts,
        coalesce(sum(viewers), 0) as viewers,
        coalesce(sum(gmv_net_usd), 0) as gmv_net_usd
    from hosts
),

quality_totals as (
    select
        'rpt_stream_quality_impact ' || band_types.band_type as report,
        coalesce(sum(quality_impact.viewer_sessions), 0) as viewers
    from (values ('latency'), ('freeze_ratio')) as band_types (band_type)
    left join quality_impact
        on band_types.band_type = quality_impact.band_type
    group by band_types.band_type
)

select
    report_totals.report,
    report_totals.broadcasts,
    report_totals.viewers,
    report_totals.gmv_net_usd
from report_totals
cross join expected
where
    report_totals.broadcasts != expected.broadcasts
    or report_totals.viewers != expected.viewers
    or report_totals.gmv_net_usd != expected.gmv_net_usd
union all
select
    quality_totals.report,
    null as broadcasts,
    quality_totals.viewers,
    null as gmv_net_usd
from quality_totals
cross join expected
where quality_totals.viewers != expected.viewers
