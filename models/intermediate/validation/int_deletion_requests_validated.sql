-- Every raw right-to-erasure request, for audit and reconciliation only: the account ids are
-- not kept. A request with a missing or unparseable timestamp is quarantined here but still
-- honoured (erasure needs only the account id; int_erased_accounts).
with

deletion_requests as (
    select * from {{ ref('stg_shop__deletion_requests') }}
),

final as (
    select
        requested_at,
        row_defect as quarantine_reason,
        raw_record,
        _raw_row_number
    from deletion_requests
)

select * from final
