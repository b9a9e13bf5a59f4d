-- fct_quarantined_rows and rpt_raw_reconciliation tell the same story: per raw table, the rows
-- quarantined for a contract reason and the rows erased are the same number in both.
with

quarantined as (
    select
        table_name,
        count(*) filter (where quarantine_reason != 'erased') as quarantined_rows,
        count(*) filter (where quarantine_reason = 'erased') as erased_rows
    from {{ ref('fct_quarantined_rows') }}
    group by table_name
),

reconciliation as (
    select * from {{ ref('rpt_raw_reconciliation') }}
)

select
    reconciliation.table_name,
    reconciliation.quarantined_rows,
    coalesce(quarantined.quarantined_rows, 0) as quarantine_relation_rows,
    reconciliation.erased_rows,
    coalesce(quarantined.erased_rows, 0) as quarantine_relation_erased_rows
from reconciliation
left join quarantined
    on reconciliation.table_name = quarantined.table_name
where
    reconciliation.quarantined_rows != coalesce(quarantined.quarantined_rows, 0)
    or reconciliation.erased_rows != coalesce(quarantined.erased_rows, 0)
