-- Every raw customers row with its final quarantine reason (null = accepted): a row of an
-- erased account is kept as a count only ('erased'), a duplicate customer_id keeps its first
-- valid copy, the free-text acquisition channel is mapped to the taxonomy (acquisition_channel_map).
{%- set columns = ['customer_id', 'created_at', 'country_code', 'country_code_raw', 'language_code',
    'acquisition_channel_raw', 'email_sha256', 'phone_sha256'] %}
with

customers as (
    select * from {{ ref('stg_shop__customers') }}
    where is_after_observation_end is not true
),

erased_accounts as (
    select * from {{ ref('int_erased_accounts') }}
),

channel_map as (
    select * from {{ ref('acquisition_channel_map') }}
),

erasure_checked {{ not_materialized() }} (
    select
        customers.*,
        erased_accounts.customer_id is not null as is_erased
    from customers
    left join erased_accounts
        on customers.customer_id = erased_accounts.customer_id
),

{{ duplicate_key_ctes('erasure_checked', ['customer_id']) }},

checked as (
    select
        erasure_checked.*,
        case
            when erasure_checked.is_erased then 'erased'
            else {{ duplicate_key_reason('erasure_checked') }}
        end as quarantine_reason
    from erasure_checked
    left join first_valid_copies
        on erasure_checked.customer_id = first_valid_copies.customer_id
),

final as (
    select
        {{ unless_erased('checked', columns) }},
        case
            when checked.is_erased then null
            when checked.acquisition_channel_raw is null then 'unknown'
            else coalesce(channel_map.acquisition_channel, 'other')
        end as acquisition_channel,
        checked.quarantine_reason,
        {{ rejected_row_record('checked', columns) }} as raw_record,
        checked._raw_row_number
    from checked
    left join channel_map
        on lower(checked.acquisition_channel_raw) = channel_map.raw_value
)

select * from final
