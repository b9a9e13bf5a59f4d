-- One row per person (customer_key) with the attributes taken from its accounts: the earliest
-- account gives creation time and acquisition channel; the market is the country of the
-- earliest account that has a known country (ZZ when none); the language is the earliest
-- account's language, else the market's default language.
with

accounts as (
    select * from {{ ref('int_accounts_stitched') }}
),

customers as (
    select * from {{ ref('int_customers_validated') }}
    where quarantine_reason is null
),

countries as (
    select * from {{ ref('country_reference') }}
),

accounts_with_attributes as (
    select
        accounts.customer_key,
        accounts.primary_customer_id,
        accounts.customer_id,
        customers.created_at,
        customers.country_code,
        customers.language_code,
        customers.acquisition_channel
    from accounts
    inner join customers
        on accounts.customer_id = customers.customer_id
),

per_person as (
    select
        customer_key,
        any_value(primary_customer_id) as primary_customer_id,
        count(*) as accounts_merged,
        min(created_at) as created_at,
        coalesce(
            {{ arg_min('country_code', ['created_at', 'customer_id']) }} filter (where country_code != 'ZZ'), 'ZZ'
        ) as market_country_code,
        {{ arg_min('language_code', ['created_at', 'customer_id']) }} filter (
            where language_code is not null
        ) as account_language_code,
        {{ arg_min('acquisition_channel', ['created_at', 'customer_id']) }} as acquisition_channel
    from accounts_with_attributes
    group by customer_key
),

final as (
    select
        per_person.customer_key,
        per_person.primary_customer_id,
        per_person.accounts_merged,
        per_person.created_at,
        per_person.market_country_code,
        coalesce(countries.region, 'Unknown') as market_region,
        coalesce(countries.time_zone, 'UTC') as market_time_zone,
        coalesce(per_person.account_language_code, countries.default_language, 'und') as language_code,
        per_person.account_language_code is null as is_language_inferred,
        per_person.acquisition_channel
    from per_person
    left join countries
        on per_person.market_country_code = countries.country_code
),

{{ change_stamped('final', ['customer_key'], [
    'primary_customer_id', 'accounts_merged', 'created_at', 'market_country_code', 'market_time_zone',
    'language_code', 'acquisition_channel'
]) }}

select * from change_stamped
