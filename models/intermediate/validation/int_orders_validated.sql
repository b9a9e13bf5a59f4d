-- Every raw order with its final quarantine reason (null = accepted) and, for accepted
-- orders, the exchange rate applied: the rate of the order's UTC date, or the latest
-- earlier one no more than fx_max_staleness_days old. USD converts at 1 by definition.
-- No usable rate -> quarantined as no_fx_rate; a missing rate never becomes 1.
-- A well-formed code that is no ISO 4217 currency and has no rate -> unknown_currency.
with

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

customers as (
    select * from {{ ref('stg_shop__customers') }}
),

live_sessions as (
    select * from {{ ref('stg_shop__live_sessions') }}
),

raw_files as (
    select * from {{ ref('stg_shop_meta__raw_files') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_combined') }}
),

iso_currencies as (
    select * from {{ ref('iso_4217_currencies') }}
),

-- any ISO 4217 code is a currency: without a rate it is no_fx_rate, not unknown_currency
known_currencies as (
    select distinct currency_code from fx_rates
    union
    select iso_currencies.currency_code from iso_currencies
    union
    select 'USD'
),

customer_status as (
    select
        customer_id,
        bool_or(quarantine_reason is null) as has_accepted_row
    from customers
    group by customer_id
),

session_status as (
    select
        session_id,
        bool_or(quarantine_reason is null) as has_accepted_row
    from live_sessions
    group by session_id
),

sessions_provided as (
    select coalesce(bool_or(is_present), false) as is_provided
    from raw_files
    where table_name = 'live_sessions'
),

orders_with_rates as (
    select
        orders.*,
        cast(orders.ordered_at as date) as order_date_utc,
        fx_rates.rate_date as fx_rate_date,
        fx_rates.usd_per_unit as fx_usd_per_unit,
        fx_rates.rate_source as fx_rate_source
    from orders
    asof left join fx_rates
        on
            orders.currency_code = fx_rates.currency_code
            and cast(orders.ordered_at as date) >= fx_rates.rate_date
),

checked as (
    select
        orders_with_rates.* exclude (quarantine_reason, fx_rate_date, fx_usd_per_unit, fx_rate_source),
        case
            when orders_with_rates.currency_code = 'USD' then orders_with_rates.order_date_utc
            when
                orders_with_rates.order_date_utc - orders_with_rates.fx_rate_date
                <= {{ var('fx_max_staleness_days') }} then orders_with_rates.fx_rate_date
        end as fx_rate_date,
        case
            when orders_with_rates.currency_code = 'USD' then 1.0
            when
                orders_with_rates.order_date_utc - orders_with_rates.fx_rate_date
                <= {{ var('fx_max_staleness_days') }} then orders_with_rates.fx_usd_per_unit
        end as fx_usd_per_unit,
        case
            when orders_with_rates.currency_code = 'USD' then 'identity'
            when
                orders_with_rates.order_date_utc - orders_with_rates.fx_rate_date
                <= {{ var('fx_max_staleness_days') }} then orders_with_rates.fx_rate_source
        end as fx_rate_source,
        coalesce(
            orders_with_rates.quarantine_reason,
            case
                when orders_with_rates.currency_code not in (select known_currencies.currency_code from known_currencies)
                    then 'unknown_currency'
                when customer_status.customer_id is null then 'unknown_customer'
                when not customer_status.has_accepted_row then 'parent_quarantined'
                when
                    orders_with_rates.live_session_id is not null
                    and (select sessions_provided.is_provided from sessions_provided)
                    and session_status.session_id is null then 'unknown_session'
                when
                    orders_with_rates.live_session_id is not null
                    and not session_status.has_accepted_row then 'parent_quarantined'
                when
                    orders_with_rates.currency_code != 'USD'
                    and (
                        orders_with_rates.fx_rate_date is null
                        or orders_with_rates.order_date_utc - orders_with_rates.fx_rate_date
                        > {{ var('fx_max_staleness_days') }}
                    ) then 'no_fx_rate'
            end
        ) as quarantine_reason
    from orders_with_rates
    left join customer_status
        on orders_with_rates.customer_id = customer_status.customer_id
    left join session_status
        on orders_with_rates.live_session_id = session_status.session_id
),

final as (
    select
        * exclude (raw_record),
        coalesce(
            raw_record,
            case when quarantine_reason not in ('erased') then cast(to_json(struct_pack(
                order_id, customer_id, ordered_at, currency_code, order_total, order_status,
                sales_channel, live_session_id, fx_rate_date
            )) as varchar) end
        ) as raw_record
    from checked
)

select * from final
