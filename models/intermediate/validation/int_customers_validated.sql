-- Every raw customers row with its final quarantine reason (null = accepted): rows of erased
-- accounts become count-only rows ('erased'), a duplicate customer_id keeps its first valid
-- copy, the free-text acquisition channel is mapped to the taxonomy (acquisition_channel_map).
with

customers as (
    select * from {{ ref('stg_shop__customers') }}
),

erased_accounts as (
    select * from {{ ref('int_erased_accounts') }}
),

channel_map as (
    select * from {{ ref('acquisition_channel_map') }}
),

erasure_checked as (
    select
        customers.*,
        erased_accounts.customer_id is not null as is_erased
    from customers
    left join erased_accounts
        on customers.customer_id = erased_accounts.customer_id
),

deduplicated as (
    select
        *,
        {{ quarantine_reason('row_defect', ['customer_id']) }} as quarantine_reason
    from erasure_checked
    where not is_erased
),

final as (
    select
        deduplicated.customer_id,
        deduplicated.created_at,
        deduplicated.country_code,
        deduplicated.country_code_raw,
        deduplicated.language_code,
        case
            when deduplicated.acquisition_channel_raw is null then 'unknown'
            else coalesce(channel_map.acquisition_channel, 'other')
        end as acquisition_channel,
        deduplicated.acquisition_channel_raw,
        deduplicated.email_sha256,
        deduplicated.phone_sha256,
        deduplicated.quarantine_reason,
        {{ raw_record_if_rejected('deduplicated.quarantine_reason', 'deduplicated.raw_values') }} as raw_record,
        deduplicated._raw_row_number
    from deduplicated
    left join channel_map
        on lower(deduplicated.acquisition_channel_raw) = channel_map.raw_value
),

{{ select_with_erased_rows() }}
