{{ config(materialized='ephemeral') }}
-- Viewer (device) ids that were ever logged in as an erased account: their anonymous events and
-- quality samples belong to the erased person and are erased with them. Ephemeral: never
-- written to the file. Reads two columns of the live events file.
with

live_events as (
    select * from {{ ref('stg_shop__live_events') }}
),

erased_accounts as (
    select * from {{ ref('int_erased_accounts') }}
),

final as (
    select distinct live_events.viewer_id
    from live_events
    inner join erased_accounts
        on live_events.customer_id = erased_accounts.customer_id
    where live_events.viewer_id is not null
)

select * from final
