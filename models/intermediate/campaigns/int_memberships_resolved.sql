-- One row per accepted membership spell, resolved to the person behind the account, with its local
-- start and end dates (the person's market time zone) and its order among the person's spells.
-- Spells of one person may overlap (an upgrade logged before the old tier was closed, or two
-- accounts); the tier at a date is the one of the latest spell started by then that is still open.
with

memberships as (
    select * from {{ ref('int_memberships_validated') }}
    where quarantine_reason is null
),

accounts as (
    select * from {{ ref('int_accounts_stitched') }}
),

persons as (
    select * from {{ ref('int_persons') }}
),

final as (
    select
        accounts.customer_key,
        memberships.customer_id,
        memberships.member_tier,
        memberships.started_at,
        memberships.ended_at,
        cast({{ utc_to_local('memberships.started_at', 'persons.market_time_zone') }} as date) as started_date_local,
        cast({{ utc_to_local('memberships.ended_at', 'persons.market_time_zone') }} as date) as ended_date_local,
        memberships.points_balance,
        row_number() over (
            partition by accounts.customer_key
            order by memberships.started_at, memberships.customer_id, memberships._raw_row_number
        ) as spell_number
    from memberships
    inner join accounts
        on memberships.customer_id = accounts.customer_id
    inner join persons
        on accounts.customer_key = persons.customer_key
)

select * from final
