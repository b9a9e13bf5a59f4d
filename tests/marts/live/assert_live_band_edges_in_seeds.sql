-- The shipped band seeds put the edge values where the metric definitions say (lower edge
-- included): 299 ms < 300; 300 and 599 in 300-600; 600 and 999 in 600-1000; 1000 in >= 1000.
-- Returns every probe value whose band differs from the expected one (or that matches no or
-- several bands).
with

latency_bands as (
    select * from {{ ref('latency_bands') }}
),

freeze_ratio_bands as (
    select * from {{ ref('freeze_ratio_bands') }}
),

latency_probes as (
    select
        0.0 as probe_value,
        'under_300ms' as expected_band
    union all
    select
        299.0 as probe_value,
        'under_300ms' as expected_band
    union all
    select
        300.0 as probe_value,
        '300_to_600ms' as expected_band
    union all
    select
        599.0 as probe_value,
        '300_to_600ms' as expected_band
    union all
    select
        600.0 as probe_value,
        '600_to_1000ms' as expected_band
    union all
    select
        999.0 as probe_value,
        '600_to_1000ms' as expected_band
    union all
    select
        1000.0 as probe_value,
        '1000ms_plus' as expected_band
    union all
    select
        60000.0 as probe_value,
        '1000ms_plus' as expected_band
),

freeze_ratio_probes as (
    select
        0.0 as probe_value,
        'under_0_5pct' as expected_band
    union all
    select
        0.0049 as probe_value,
        'under_0_5pct' as expected_band
    union all
    select
        0.005 as probe_value,
        '0_5_to_2pct' as expected_band
    union all
    select
        0.02 as probe_value,
        '2_to_5pct' as expected_band
    union all
    select
        0.05 as probe_value,
        '5pct_plus' as expected_band
    union all
    select
        1.0 as probe_value,
        '5pct_plus' as expected_band
),

latency_matches as (
    select
        'latency' as band_type,
        latency_probes.probe_value,
        latency_probes.expected_band,
        {{ distinct_sorted_text('latency_bands.latency_band', ',') }} as found_bands,
        count(latency_bands.latency_band) as matches
    from latency_probes
    left join latency_bands
        on
            latency_probes.probe_value >= latency_bands.min_latency_ms
            and (latency_probes.probe_value < latency_bands.max_latency_ms or latency_bands.max_latency_ms is null)
    group by latency_probes.probe_value, latency_probes.expected_band
),

freeze_ratio_matches as (
    select
        'freeze_ratio' as band_type,
        freeze_ratio_probes.probe_value,
        freeze_ratio_probes.expected_band,
        {{ distinct_sorted_text('freeze_ratio_bands.freeze_ratio_band', ',') }} as found_bands,
        count(freeze_ratio_bands.freeze_ratio_band) as matches
    from freeze_ratio_probes
    left join freeze_ratio_bands
        on
            freeze_ratio_probes.probe_value >= freeze_ratio_bands.min_freeze_ratio
            and (
                freeze_ratio_probes.probe_value < freeze_ratio_bands.max_freeze_ratio
                or freeze_ratio_bands.max_freeze_ratio is null
            )
    group by freeze_ratio_probes.probe_value, freeze_ratio_probes.expected_band
),

all_matches as (
    select * from latency_matches
    union all
    select * from freeze_ratio_matches
)

select * from all_matches
where matches != 1 or found_bands != expected_band
