-- Every raw order with its final quarantine reason (null = accepted) and, for accepted
-- orders, the exchange rate applied: the rate of the order's UTC date, or the latest
-- earlier one no more than fx_max_staleness_days old. USD converts at 1 by definition.
-- No usable rate -> quarantined as no_fx_rate; a missing rate never becomes 1. Any ISO 4217
-- code (seed iso_4217_currencies) is a currency: without a rate it is no_fx_rate; a
-- well-formed code that is no currency and has no rate is unknown_currency.
-- A row of an erased account is kept as a count only; a duplicate order_id keeps its first valid copy.
-- An order attributed to a broadcast that is missing or quarantined is accepted, without the
-- attribution (live_session_match says why; rpt_unresolved_references lists them).
{%- set columns = ['order_id', 'customer_id', 'ordered_at', 'currency_code', 'order_total', 'order_status',
    'sales_channel', 'live_session_id', 'shipping_country_code', 'delivered_at'] %}
with

orders as (
    select * from {{ ref('stg_shop__orders') }}
    where is_after_observation_end is not true
),

erased_accounts as (
    select * from {{ ref('int_erased_accounts') }}
),

customers as (
    select * from {{ ref('int_customers_validated') }}
),

live_sessions as (
    select * from {{ ref('int_live_sessions_validated') }}
),

raw_files as (
    select * from {{ ref('stg_shop_meta__raw_files') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_combined') }}
),

erasure_checked {{ not_materialized() }} (
    select
        orders.*,
        erased_accounts.customer_id is not null as is_erased
    from orders
    left join erased_accounts
        on orders.customer_id = erased_accounts.customer_id
),

{{ duplicate_key_ctes('erasure_checked', ['order_id']) }},

deduplicated as (
    select
        erasure_checked.*,
        {{ duplicate_key_reason('erasure_checked') }} as own_quarantine_reason
    from erasure_checked
    left join first_valid_copies
        on erasure_checked.order_id = first_valid_copies.order_id
),

iso_currencies as (
    select * from {{ ref('iso_4217_currencies') }}
),

known_currencies as (
    select distinct currency_code from fx_rates
    union
    select currency_code from iso_currencies
    union
    select 'USD' as currency_code
),

customer_status as (
    {{ parent_status('customers', 'customer_id') }}
),

session_status as (
    {{ parent_status('live_sessions', 'session_id') }}
),

sessions_provided as (
    select coalesce(bool_or(is_present), false) as is_provided
    from raw_files
    where table_name = 'live_sessions'
),

orders_with_rates as (
    select
        deduplicated.*,
        cast(deduplicated.ordered_at as date) as order_date_utc,
        fx_rates.rate_date as matched_rate_date,
        fx_rates.usd_per_unit as matched_usd_per_unit,
        fx_rates.rate_source as matched_rate_source
    from deduplicated
    {{ asof_join('left', 'fx_rates', 'fx_rates', [('deduplicated.currency_code', 'currency_code')],
        'cast(deduplicated.ordered_at as date)', '>=', 'rate_date') }}
),

rates_checked as (
    select
        orders_with_rates.*,
        orders_with_rates.currency_code = 'USD'
        or {{ dbt.datediff('orders_with_rates.matched_rate_date', 'orders_with_rates.order_date_utc', 'day') }}
        <= {{ var('fx_max_staleness_days') }} as has_usable_rate
    from orders_with_rates
),

checked as (
    select
        rates_checked.*,
        coalesce(
            case when rates_checked.is_erased then 'erased' end,
            rates_checked.own_quarantine_reason,
            case
                when known_currencies.currency_code is null then 'unknown_currency'
                when customer_status.customer_id is null then 'unknown_customer'
                when not customer_status.has_accepted_row then 'parent_quarantined'
                when not coalesce(rates_checked.has_usable_rate, false) then 'no_fx_rate'
            end
        ) as quarantine_reason,
        -- a reference to a broadcast that is missing or quarantined does not cost the order its
        -- revenue: the order is accepted without the attribution (rpt_unresolved_references)
        case
            when rates_checked.live_session_id is null then null
            when session_status.has_accepted_row then 'matched'
            when session_status.session_id is not null then 'session_quarantined'
            when sessions_provided.is_provided then 'unknown_session'
            else 'sessions_not_provided'
        end as live_session_match
    from rates_checked
    cross join sessions_provided
    left join known_currencies
        on rates_checked.currency_code = known_currencies.currency_code
    left join customer_status
        on rates_checked.customer_id = customer_status.customer_id
    left join session_status
        on rates_checked.live_session_id = session_status.session_id
),

final as (
    select
        {{ unless_erased('checked', columns) }},
        checked.quarantine_reason,
        case when not checked.is_erased then checked.live_session_match end as live_session_match,
        {{ rejected_row_record('checked', columns) }} as raw_record,
        checked._raw_row_number,
        case when not checked.is_erased then checked.order_date_utc end as order_date_utc,
        case
            when checked.quarantine_reason is not null then null
            when checked.currency_code = 'USD' then checked.order_date_utc
            else checked.matched_rate_date
        end as fx_rate_date,
        case
            when checked.quarantine_reason is not null then null
            when checked.currency_code = 'USD' then 1.0
            else checked.matched_usd_per_unit
        end as fx_usd_per_unit,
        case
            when checked.quarantine_reason is not null then null
            when checked.currency_code = 'USD' then 'identity'
            else checked.matched_rate_source
        end as fx_rate_source
    from checked
)

select * from final
