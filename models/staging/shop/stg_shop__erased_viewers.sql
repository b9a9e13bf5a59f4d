{{ config(materialized='ephemeral') }}
-- Viewer (device) ids that were ever logged in as an erased account: their anonymous events
-- belong to the erased person and are erased with them. Ephemeral: never written to the file.
with

live_events as (
    select * from {{ source('shop', 'live_events') }}
),

deletion_requests as (
    select * from {{ source('shop', 'deletion_requests') }}
),

final as (
    select distinct {{ clean_text('live_events.viewer_id') }} as viewer_id
    from live_events
    inner join deletion_requests
        on {{ clean_text('live_events.customer_id') }} = {{ clean_text('deletion_requests.customer_id') }}
    where {{ clean_text('live_events.viewer_id') }} is not null
)

select * from final
