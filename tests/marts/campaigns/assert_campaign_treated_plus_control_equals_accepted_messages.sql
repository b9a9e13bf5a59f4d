-- Per campaign and window: treated + control messages in rpt_campaign_outcomes (segment 'all')
-- equal the campaign's accepted messages, and the per-segment rows (lifecycle stage, value tier)
-- add up to the 'all' row, for sizes and for outcome counts.
with

accepted as (
    select
        campaign_id,
        count(*) as accepted_messages
    from {{ ref('int_campaign_messages_validated') }}
    where quarantine_reason is null
    group by campaign_id
),

outcomes as (
    select * from {{ ref('rpt_campaign_outcomes') }}
),

overall as (
    select * from outcomes
    where segment_type = 'all'
),

per_segment_type as (
    select
        campaign_id,
        window_days,
        segment_type,
        sum(treated_messages) as treated_messages,
        sum(control_messages) as control_messages,
        sum(treated_eligible) as treated_eligible,
        sum(treated_with_return) as treated_with_return,
        sum(control_with_return) as control_with_return
    from outcomes
    where segment_type != 'all'
    group by campaign_id, window_days, segment_type
),

size_mismatches as (
    select
        coalesce(overall.campaign_id, accepted.campaign_id) as campaign_id,
        overall.window_days,
        'treated + control != accepted messages' as problem
    from overall
    full outer join accepted
        on overall.campaign_id = accepted.campaign_id
    where
        coalesce(overall.treated_messages + overall.control_messages, -1)
        != coalesce(accepted.accepted_messages, -1)
),

segment_mismatches as (
    select
        overall.campaign_id,
        overall.window_days,
        'segments do not add up to all (' || per_segment_type.segment_type || ')' as problem
    from overall
    inner join per_segment_type
        on overall.campaign_id = per_segment_type.campaign_id and overall.window_days = per_segment_type.window_days
    where
        overall.treated_messages != per_segment_type.treated_messages
        or overall.control_messages != per_segment_type.control_messages
        or overall.treated_eligible != per_segment_type.treated_eligible
        or overall.treated_with_return != per_segment_type.treated_with_return
        or overall.control_with_return != per_segment_type.control_with_return
)

select * from size_mismatches
union all
select * from segment_mismatches
