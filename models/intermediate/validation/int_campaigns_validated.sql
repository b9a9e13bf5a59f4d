-- Every raw campaign with its final quarantine reason (null = accepted): a duplicate campaign_id
-- keeps its first valid copy; the broadcast a live reminder names is checked against
-- live_sessions only when the shop provided that file (unknown_session; parent_quarantined when
-- the broadcast itself was quarantined, as for orders).
{%- set columns = ['campaign_id', 'channel', 'objective', 'started_at', 'campaign_name', 'ended_at',
    'market_country_code', 'session_id'] %}
with

campaigns {{ not_materialized() }} (
    select
        *,
        false as is_erased
    from {{ ref('stg_shop__campaigns') }}
    where is_after_observation_end is not true
),

live_sessions as (
    select * from {{ ref('int_live_sessions_validated') }}
),

raw_files as (
    select * from {{ ref('stg_shop_meta__raw_files') }}
),

{{ duplicate_key_ctes('campaigns', ['campaign_id']) }},

session_status as (
    {{ parent_status('live_sessions', 'session_id') }}
),

sessions_provided as (
    select coalesce(bool_or(is_present), false) as is_provided
    from raw_files
    where table_name = 'live_sessions'
),

checked as (
    select
        campaigns.*,
        coalesce(
            {{ duplicate_key_reason('campaigns') }},
            case
                when
                    campaigns.session_id is not null
                    and sessions_provided.is_provided
                    and session_status.session_id is null then 'unknown_session'
                when
                    campaigns.session_id is not null
                    and not session_status.has_accepted_row then 'parent_quarantined'
            end
        ) as quarantine_reason
    from campaigns
    cross join sessions_provided
    left join first_valid_copies
        on campaigns.campaign_id = first_valid_copies.campaign_id
    left join session_status
        on campaigns.session_id = session_status.session_id
),

final as (
    select
        {{ unless_erased('checked', columns) }},
        checked.quarantine_reason,
        {{ rejected_row_record('checked', columns) }} as raw_record,
        checked._raw_row_number
    from checked
)

select * from final
