-- One row per distinct identifier (type, hash): how many accounts carry it and whether it may
-- merge them. Strong identifiers (email, phone, payment, social) merge; device ids only when
-- the identity_merge_on_device_ids var is on. An identifier carried by more accounts than
-- identity_max_accounts_per_identifier (a test card, a placeholder phone) never merges.
with

links as (
    select * from {{ ref('int_account_identifiers') }}
),

profiled as (
    select
        identifier_type,
        identifier_sha256,
        count(distinct customer_id) as account_count
    from links
    group by identifier_type, identifier_sha256
),

final as (
    select
        identifier_type,
        identifier_sha256,
        account_count,
        (
            identifier_type in ('email', 'phone', 'payment', 'social')
            {%- if var('identity_merge_on_device_ids') %}
                or identifier_type = 'device'
            {%- endif %}
        ) as is_merge_type,
        account_count > {{ var('identity_max_accounts_per_identifier') }} as is_over_shared,
        (
            identifier_type in ('email', 'phone', 'payment', 'social')
            {%- if var('identity_merge_on_device_ids') %}
                or identifier_type = 'device'
            {%- endif %}
        )
        and account_count between 2 and {{ var('identity_max_accounts_per_identifier') }} as is_merging
    from profiled
)

select * from final
