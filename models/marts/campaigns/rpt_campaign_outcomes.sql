-- Per campaign and attribution window, overall and per segment at send (lifecycle stage, value
-- tier): treated and control sizes, outcome rates among the messages whose window has closed by
-- the observation end, the absolute uplift (treated rate - control rate) with its 95% interval
-- (Newcombe's hybrid score interval for a difference of two proportions, from the two Wilson
-- intervals), and the incremental net USD per 1,000 messages (mean net USD of treated minus
-- control messages, times 1,000, with a normal-approximation 95% interval). A campaign, or a
-- segment, without a control group has a null uplift: no comparison, not zero.
{%- set outcomes = [('return', 'has_returned'), ('live_return', 'has_live_return'), ('order', 'has_order')] %}
with

messages as (
    select * from {{ ref('fct_campaign_messages') }}
),

campaigns as (
    select * from {{ ref('int_campaigns_validated') }}
    where quarantine_reason is null
),

windows as (
    select windows.window_days
    from {{ literal_rows(campaign_attribution_windows(), 'windows', 'window_days') }}
),

message_windows as (
    -- one row per message and window, with that window's outcomes
    select
        messages.campaign_id,
        messages.channel,
        messages.objective,
        messages.lifecycle_stage_at_send,
        messages.value_tier_at_send,
        messages.is_control,
        windows.window_days,
        case windows.window_days
            {%- for window in campaign_attribution_windows() %}
                when {{ window }} then messages.is_window_complete_{{ window }}d
            {%- endfor %}
        end as is_window_complete,
        {%- for name, column in outcomes %}
            case windows.window_days
                {%- for window in campaign_attribution_windows() %}
                    when {{ window }} then messages.{{ column }}_{{ window }}d
                {%- endfor %}
            end as {{ column }},
        {%- endfor %}
        case windows.window_days
            {%- for window in campaign_attribution_windows() %}
                when {{ window }} then messages.net_usd_{{ window }}d
            {%- endfor %}
        end as net_usd
    from messages
    cross join windows
),

segmented as (
    select
        *,
        'all' as segment_type,
        'all' as segment_value
    from message_windows
    union all
    select
        *,
        'lifecycle_stage' as segment_type,
        lifecycle_stage_at_send as segment_value
    from message_windows
    union all
    select
        *,
        'value_tier' as segment_type,
        value_tier_at_send as segment_value
    from message_windows
),

counted as (
    select
        campaign_id,
        any_value(channel) as channel,
        any_value(objective) as objective,
        window_days,
        segment_type,
        segment_value,
        count(*) filter (where not is_control) as treated_messages,
        count(*) filter (where is_control) as control_messages,
        count(*) filter (where not is_control and is_window_complete) as treated_eligible,
        count(*) filter (where is_control and is_window_complete) as control_eligible,
        {%- for name, column in outcomes %}
            count(*) filter (where not is_control and is_window_complete and {{ column }}) as treated_with_{{ name }},
            count(*) filter (where is_control and is_window_complete and {{ column }}) as control_with_{{ name }},
        {%- endfor %}
        sum(net_usd) filter (where not is_control and is_window_complete) as treated_net_usd,
        sum(net_usd) filter (where is_control and is_window_complete) as control_net_usd,
        {{ exact_var_samp('case when not is_control and is_window_complete then net_usd end') }}
            as treated_net_usd_variance,
        {{ exact_var_samp('case when is_control and is_window_complete then net_usd end') }} as control_net_usd_variance
    from segmented
    group by campaign_id, window_days, segment_type, segment_value
),

campaign_controls as (
    select
        campaign_id,
        bool_or(is_control) as has_control_group
    from messages
    group by campaign_id
),

{#- net USD per 1,000 eligible messages, and the half-width of the 95% interval of the difference
    (normal approximation: difference of two means, sample variances) -#}
{%- set treated_per_1000 = '1000 * counted.treated_net_usd / nullif(counted.treated_eligible, 0)::double' %}
{%- set control_per_1000 = '1000 * counted.control_net_usd / nullif(counted.control_eligible, 0)::double' %}
{%- set margin_95 -%}
    1000 * 1.959964 * sqrt(
            coalesce(counted.treated_net_usd_variance, 0) / nullif(counted.treated_eligible, 0)
            + coalesce(counted.control_net_usd_variance, 0) / nullif(counted.control_eligible, 0)
        )
{%- endset %}

rated as (
    select
        counted.campaign_id,
        campaigns.campaign_name,
        counted.channel,
        counted.objective,
        campaigns.started_at as campaign_started_at,
        campaign_controls.has_control_group,
        counted.window_days,
        counted.segment_type,
        counted.segment_value,
        counted.treated_messages,
        counted.control_messages,
        counted.treated_eligible,
        counted.control_eligible,
        {%- for name, column in outcomes %}
            counted.treated_with_{{ name }},
            counted.control_with_{{ name }},
            counted.treated_with_{{ name }} / nullif(counted.treated_eligible, 0)::double as treated_{{ name }}_rate,
            counted.control_with_{{ name }} / nullif(counted.control_eligible, 0)::double as control_{{ name }}_rate,
            counted.treated_with_{{ name }} / nullif(counted.treated_eligible, 0)::double
            - counted.control_with_{{ name }} / nullif(counted.control_eligible, 0)::double as {{ name }}_uplift,
        {{ uplift_newcombe_bound(
            'counted.treated_with_' ~ name, 'counted.treated_eligible',
            'counted.control_with_' ~ name, 'counted.control_eligible', 'low') }} as {{ name }}_uplift_lower,
        {{ uplift_newcombe_bound(
            'counted.treated_with_' ~ name, 'counted.treated_eligible',
            'counted.control_with_' ~ name, 'counted.control_eligible', 'high') }} as {{ name }}_uplift_upper,
        {%- endfor %}
        (coalesce(counted.treated_net_usd, 0))::decimal(18, 4) as treated_net_usd,
        (coalesce(counted.control_net_usd, 0))::decimal(18, 4) as control_net_usd,
        {{ treated_per_1000 }} as treated_net_usd_per_1000_messages,
        {{ control_per_1000 }} as control_net_usd_per_1000_messages,
        {{ treated_per_1000 }} - {{ control_per_1000 }} as incremental_net_usd_per_1000_messages,
        {{ treated_per_1000 }} - {{ control_per_1000 }} - {{ margin_95 }} as incremental_net_usd_per_1000_lower,
        {{ treated_per_1000 }} - {{ control_per_1000 }} + {{ margin_95 }} as incremental_net_usd_per_1000_upper
    from counted
    inner join campaign_controls
        on counted.campaign_id = campaign_controls.campaign_id
    left join campaigns
        on counted.campaign_id = campaigns.campaign_id
),

final as (
    select * from rated
)

select * from final
