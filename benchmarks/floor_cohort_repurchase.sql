-- The hand-written floor of the repurchase path: one DuckDB script from the raw files of an
-- orders-only shop (customers, orders, refunds, fx_rates) to the monthly cohort 30/90/180-day
-- repurchase table, with the definitions of main.fct_cohort_repurchase (cohort_grain = 'month';
-- ../shared/metric-definitions.md):
--   * accepted order: required values present and parseable, a valid status, a total >= 0, not
--     delivered before it was ordered, nothing after tomorrow (UTC), an account with an accepted
--     row, and a USD rate: USD converts at 1, any other currency needs the rate of the order's UTC
--     date or the latest earlier one at most fx_max_staleness_days (7) old (so a malformed or
--     unknown currency code, having no rate, is left out as the warehouse quarantines it); the
--     shop's fx_rates replace the shipped seed per currency;
--   * qualifying order: status not cancelled or refunded, and accepted refunds (not before the
--     order) do not cover its whole total; a zero-value order qualifies;
--   * purchase day: the market-local date of a qualifying order (country -> time zone from
--     seeds/country_reference.csv; UTC when the country is missing, malformed or not listed);
--   * observation end: the as_of_date variable, else the latest UTC date of an accepted order;
--     purchase days after it are ignored;
--   * cohort: month of the first purchase day; repurchased within N: a purchase day 1..N days after
--     the first; eligible for N: first purchase day + N <= observation end, else censored.
--
-- What it does not model, because the benchmark shop has none of it (the last statement checks
-- the files and reports every assumption with the number of offending values; all must be 0):
-- identity stitching (no two accounts share a normalised email or phone, so a person is an
-- account), duplicate keys (the warehouse keeps the first valid copy in file order), erasure
-- (no deletion_requests) and live data (no live_sessions or live_events: the observation end
-- comes from orders alone). The benchmark harness refuses a folder holding those tables.
--
-- Inputs, as DuckDB variables set before the script runs (the harness sets them; in the DuckDB
-- CLI: set variable raw_dir = 'data/orders'; set variable seeds_dir = 'seeds'; .read <this file>):
--   raw_dir    folder of the raw files            raw_ext    'parquet' (default) or 'csv'
--   seeds_dir  the project's seeds/ folder        as_of_date optional observation end (a date)
-- Outputs: temp tables floor_cohort_repurchase (the result, also the last query's rows) and
-- floor_assumptions (check, offending_values).

set timezone = 'UTC';

create or replace temp macro floor_raw_file(table_name) as
getvariable('raw_dir') || '/' || table_name || '.' || coalesce(getvariable('raw_ext'), 'parquet');

-- a raw value as the warehouse reads it: identifiers and codes trimmed, empty = missing;
-- timestamps in UTC. Typed Parquet columns are used as they are (a timestamp is not turned into
-- text and parsed back); CSV values are parsed (DuckDB reads an empty CSV field as null).
create or replace temp macro floor_text(value) as nullif(trim(cast(value as varchar)), '');

create or replace temp macro floor_utc(value) as
cast(timezone('UTC', try_cast(value as timestamptz)) as timestamp);

create or replace temp macro floor_is_unparseable(value, parsed) as
(value is not null and parsed is null);

create or replace temp table floor_countries as
select
    country_code,
    time_zone
from read_csv(getvariable('seeds_dir') || '/country_reference.csv', header = true, all_varchar = true);

create or replace temp table floor_accounts as
with

customers as (
    select
        floor_text(customer_id) as customer_id,
        floor_utc(created_at) as created_at,
        floor_is_unparseable(created_at, floor_utc(created_at)) as is_unparseable,
        case
            when regexp_full_match(upper(floor_text(country_code)), '[A-Z]{2}') then upper(floor_text(country_code))
            else 'ZZ'
        end as country_code
    from query_table(floor_raw_file('customers'))
)

select
    customers.customer_id,
    coalesce(floor_countries.time_zone, 'UTC') as time_zone
from customers
left join floor_countries
    on customers.country_code = floor_countries.country_code
where
    customers.customer_id is not null
    and customers.created_at is not null
    and not customers.is_unparseable
    and customers.created_at <= cast(current_date + interval 1 day as timestamp);

create or replace temp table floor_fx_rates as
with

shop_rates as (
    select
        cast(floor_utc(rate_date) as date) as rate_date,
        upper(floor_text(currency)) as currency_code,
        try_cast(usd_per_unit as double) as usd_per_unit
    from query_table(floor_raw_file('fx_rates'))
),

accepted_shop_rates as (
    select * from shop_rates
    where
        rate_date is not null
        and regexp_full_match(currency_code, '[A-Z]{3}')
        and usd_per_unit > 0
),

seed_rates as (
    select
        cast(rate_date as date) as rate_date,
        currency as currency_code,
        cast(usd_per_unit as double) as usd_per_unit
    from read_csv(getvariable('seeds_dir') || '/fx_rates_default.csv', header = true, all_varchar = true)
)

select * from accepted_shop_rates
union all
select * from seed_rates
where currency_code not in (select distinct accepted_shop_rates.currency_code from accepted_shop_rates);

create or replace temp table floor_orders as
with

parsed as (
    select
        floor_text(order_id) as order_id,
        floor_text(customer_id) as customer_id,
        floor_utc(ordered_at) as ordered_at,
        floor_utc(delivered_at) as delivered_at,
        upper(floor_text(currency)) as currency_code,
        try_cast(try_cast(order_total as double) as decimal(18, 4)) as order_total,
        case lower(floor_text(status))
            when 'canceled' then 'cancelled'
            when 'complete' then 'completed'
            when 'returned' then 'refunded'
            else coalesce(lower(floor_text(status)), 'completed')
        end as order_status,
        floor_is_unparseable(ordered_at, floor_utc(ordered_at))
        or floor_is_unparseable(delivered_at, floor_utc(delivered_at))
        or floor_is_unparseable(order_total, try_cast(order_total as double)) as is_unparseable
    from query_table(floor_raw_file('orders'))
),

valid as (
    select * from parsed
    where
        order_id is not null
        and customer_id is not null
        and ordered_at is not null
        and currency_code is not null
        and order_total is not null
        and not is_unparseable
        and order_status in ('placed', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'refunded')
        and order_total >= 0
        and (delivered_at is null or delivered_at >= ordered_at)
        and ordered_at <= cast(current_date + interval 1 day as timestamp)
        and (delivered_at is null or delivered_at <= cast(current_date + interval 1 day as timestamp))
),

with_rates as (
    select
        valid.*,
        floor_fx_rates.rate_date as fx_rate_date
    from valid
    asof left join floor_fx_rates
        on
            valid.currency_code = floor_fx_rates.currency_code
            and cast(valid.ordered_at as date) >= floor_fx_rates.rate_date
)

select
    with_rates.order_id,
    with_rates.customer_id,
    with_rates.ordered_at,
    with_rates.order_status,
    with_rates.order_total,
    -- the market-local date of the order (its purchase day, when it qualifies)
    cast(timezone(floor_accounts.time_zone, timezone('UTC', with_rates.ordered_at)) as date) as purchase_date
from with_rates
inner join floor_accounts
    on with_rates.customer_id = floor_accounts.customer_id
where
    with_rates.currency_code = 'USD'
    or cast(with_rates.ordered_at as date) - with_rates.fx_rate_date <= 7;

create or replace temp table floor_cohort_repurchase as
with

refunds as (
    select
        floor_text(order_id) as order_id,
        floor_utc(refunded_at) as refunded_at,
        try_cast(try_cast(amount as double) as decimal(18, 4)) as refund_amount,
        floor_text(refund_id) is not null
        and floor_utc(refunded_at) is not null
        and not floor_is_unparseable(refunded_at, floor_utc(refunded_at))
        and not floor_is_unparseable(amount, try_cast(amount as double)) as is_parsed
    from query_table(floor_raw_file('refunds'))
),

refunds_per_order as (
    select
        refunds.order_id,
        sum(refunds.refund_amount) as refunded_amount
    from refunds
    inner join floor_orders
        on refunds.order_id = floor_orders.order_id
    where
        refunds.is_parsed
        and refunds.refund_amount > 0
        and refunds.refunded_at <= cast(current_date + interval 1 day as timestamp)
        and refunds.refunded_at >= floor_orders.ordered_at
    group by refunds.order_id
),

observation_end as (
    select coalesce(cast(getvariable('as_of_date') as date), max(cast(ordered_at as date))) as as_of_date
    from floor_orders
),

qualifying_orders as (
    select
        floor_orders.customer_id,
        floor_orders.purchase_date
    from floor_orders
    left join refunds_per_order
        on floor_orders.order_id = refunds_per_order.order_id
    where
        floor_orders.order_status not in ('cancelled', 'refunded')
        and (
            least(coalesce(refunds_per_order.refunded_amount, 0), floor_orders.order_total) < floor_orders.order_total
            or (
                floor_orders.order_total = 0
                and least(coalesce(refunds_per_order.refunded_amount, 0), floor_orders.order_total) = 0
            )
        )
),

purchase_days as (
    select distinct
        qualifying_orders.customer_id,
        qualifying_orders.purchase_date
    from qualifying_orders
    cross join observation_end
    where qualifying_orders.purchase_date <= observation_end.as_of_date
),

buyers as (
    -- the two earliest purchase days of each buyer: the first, and the next one if any
    select
        customer_id,
        min(purchase_date, 2) as first_two_days
    from purchase_days
    group by customer_id
),

buyer_windows as (
    select
        buyers.first_two_days[1] as first_purchase_date,
        windows.window_days,
        buyers.first_two_days[1] + windows.window_days <= observation_end.as_of_date as is_eligible,
        coalesce(buyers.first_two_days[2] - buyers.first_two_days[1] <= windows.window_days, false)
            as has_repurchased
    from buyers
    cross join (select unnest([30, 90, 180]) as window_days) as windows
    cross join observation_end
),

aggregated as (
    select
        cast(date_trunc('month', first_purchase_date) as date) as cohort_start_date,
        window_days,
        count(*) as cohort_size,
        count(*) filter (where is_eligible) as eligible_customers,
        count(*) filter (where not is_eligible) as censored_customers,
        count(*) filter (where is_eligible and has_repurchased) as repurchasers,
        count(*) filter (where has_repurchased) as repurchasers_observed
    from buyer_windows
    group by all
)

select
    strftime(cohort_start_date, '%Y-%m') as cohort_label,
    cohort_start_date,
    cast(cohort_start_date + interval 1 month - interval 1 day as date) as cohort_end_date,
    window_days,
    cohort_size,
    eligible_customers,
    censored_customers,
    repurchasers,
    repurchasers / nullif(eligible_customers, 0) as repurchase_rate,
    repurchasers_observed,
    repurchasers_observed / cohort_size as naive_repurchase_rate
from aggregated;

-- the assumptions above, checked on the files: the number of offending values (all must be 0)
create or replace temp table floor_assumptions as
with

customers as (
    select
        floor_text(customer_id) as customer_id,
        lower(floor_text(email)) as email,
        nullif(regexp_replace(regexp_replace(cast(phone as varchar), '[^0-9]', '', 'g'), '^00', ''), '') as phone
    from query_table(floor_raw_file('customers'))
)

select 'email shared by several accounts' as assumption, count(*) as offending_values
from (select email from customers where email is not null group by email having count(distinct customer_id) > 1)
union all
select 'phone shared by several accounts', count(*)
from (select phone from customers where phone is not null group by phone having count(distinct customer_id) > 1)
union all
select 'duplicate customer_id', count(customer_id) - count(distinct customer_id) from customers
union all
select 'duplicate order_id', count(floor_text(order_id)) - count(distinct floor_text(order_id))
from query_table(floor_raw_file('orders'))
union all
select 'duplicate refund_id', count(floor_text(refund_id)) - count(distinct floor_text(refund_id))
from query_table(floor_raw_file('refunds'))
union all
select 'duplicate fx rate (rate_date, currency)', count(*) - count(distinct (rate_date, currency))
from query_table(floor_raw_file('fx_rates'));

select * from floor_cohort_repurchase
order by cohort_start_date, window_days;
