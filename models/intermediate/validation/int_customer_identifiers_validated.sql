-- Every raw extra identifier with its final quarantine reason (null = accepted): it must
-- belong to a known, accepted account.
with

identifiers as (
    select * from {{ ref('stg_shop__customer_identifiers') }}
),

customers as (
    select * from {{ ref('stg_shop__customers') }}
),

customer_status as (
    select
        customer_id,
        bool_or(quarantine_reason is null) as has_accepted_row
    from customers
    group by customer_id
),

checked as (
    select
        identifiers.* exclude (quarantine_reason, raw_record),
        coalesce(
            identifiers.quarantine_reason,
            case
                when customer_status.customer_id is null then 'unknown_customer'
                when not customer_status.has_accepted_row then 'parent_quarantined'
            end
        ) as quarantine_reason,
        identifiers.raw_record
    from identifiers
    left join customer_status
        on identifiers.customer_id = customer_status.customer_id
),

final as (
    select
        * exclude (raw_record),
        coalesce(
            raw_record,
            case when quarantine_reason not in ('erased') then to_json(struct_pack(
                customer_id, identifier_type, identifier_sha256, observed_at
            ))::varchar end
        ) as raw_record
    from checked
)

select * from final
