-- One row per accepted account with the person it belongs to. Accounts sharing a merging
-- identifier are one person, transitively (connected components, see the
-- connected_components macro). The person's customer_key is derived from its earliest account
-- (created_at, then customer_id), so it does not move when unrelated accounts arrive.
-- _changed_at marks the accounts whose person changed in a run (incremental models follow it).
with

customers as (
    select * from {{ ref('int_customers_validated') }}
    where quarantine_reason is null
),

links as (
    select * from {{ ref('int_account_identifiers') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_profiled') }}
),

accounts_ranked as (
    select
        customer_id,
        created_at,
        row_number() over (order by created_at, customer_id) as account_rank
    from customers
),

merging_links as (
    select
        links.customer_id,
        links.identifier_type,
        links.identifier_sha256,
        accounts_ranked.account_rank
    from links
    inner join identifiers
        on
            links.identifier_type = identifiers.identifier_type
            and links.identifier_sha256 = identifiers.identifier_sha256
    inner join accounts_ranked
        on links.customer_id = accounts_ranked.customer_id
    where identifiers.is_merging
),

identifier_hubs as (
    -- star edges: every account of an identifier to the identifier's lowest-ranked account
    select
        identifier_type,
        identifier_sha256,
        min(account_rank) as hub_rank
    from merging_links
    group by identifier_type, identifier_sha256
),

star_edges as (
    select
        merging_links.account_rank as node_a,
        identifier_hubs.hub_rank as node_b
    from merging_links
    inner join identifier_hubs
        on
            merging_links.identifier_type = identifier_hubs.identifier_type
            and merging_links.identifier_sha256 = identifier_hubs.identifier_sha256
    where merging_links.account_rank != identifier_hubs.hub_rank
),

edges as (
    select
        node_a,
        node_b
    from star_edges
    union
    select
        node_b as node_a,
        node_a as node_b
    from star_edges
),

graph_nodes as (
    select distinct node_a as node_id from edges
),

{{ connected_components('graph_nodes', 'edges', var('identity_propagation_rounds')) }},

merge_types as (
    select
        customer_id,
        {{ distinct_sorted_text('identifier_type', ',') }} as merged_via
    from merging_links
    group by customer_id
),

labelled as (
    select
        accounts_ranked.customer_id,
        accounts_ranked.created_at,
        accounts_ranked.account_rank,
        coalesce(component_labels.component_label, accounts_ranked.account_rank) as person_rank
    from accounts_ranked
    left join component_labels
        on accounts_ranked.account_rank = component_labels.node_id
),

final as (
    select
        labelled.customer_id,
        md5(person_account.customer_id) as customer_key,
        person_account.customer_id as primary_customer_id,
        labelled.customer_id = person_account.customer_id as is_primary_account,
        count(*) over (partition by labelled.person_rank) as accounts_in_person,
        merge_types.merged_via,
        labelled.created_at
    from labelled
    inner join accounts_ranked as person_account
        on labelled.person_rank = person_account.account_rank
    left join merge_types
        on labelled.customer_id = merge_types.customer_id
),

{{ change_stamped(
    'final', ['customer_id'], ['customer_key', 'primary_customer_id', 'accounts_in_person', 'merged_via'],
    previous_columns=['customer_key']
) }}

select * from change_stamped
