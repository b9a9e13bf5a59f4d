{# purpose: label every node with the smallest node id of its connected component, by min-label propagation with pointer jumping, unrolled into a fixed number of rounds (portable SQL: joins and group by only) #}
{#
    nodes: a relation or CTE with node_id (bigint); edges: a relation or CTE with node_a, node_b
    holding BOTH directions of every undirected edge. Each round takes the smallest label among a
    node and its neighbours, then jumps to the label of that label, so the distance a label travels
    roughly doubles per round: `rounds` of 12 settles chains of thousands of nodes. Returns the CTE
    text ending in `component_labels (node_id, component_label)`; a test checks convergence.
#}
{% macro connected_components(nodes, edges, rounds) -%}
    {{ return(adapter.dispatch('connected_components', 'livewh')(nodes, edges, rounds)) }}
{%- endmacro %}

{% macro default__connected_components(nodes, edges, rounds) -%}
labels_0 {{ materialized_cte() }} (
    select
        node_id,
        node_id as label
    from {{ nodes }}
),
{% for round in range(1, rounds + 1) %}
propagated_{{ round }} {{ materialized_cte() }} (
    select
        labels.node_id,
        least(labels.label, coalesce(min(neighbour.label), labels.label)) as label
    from labels_{{ round - 1 }} as labels
    left join {{ edges }} as edges
        on labels.node_id = edges.node_a
    left join labels_{{ round - 1 }} as neighbour
        on edges.node_b = neighbour.node_id
    group by labels.node_id, labels.label
),

labels_{{ round }} {{ materialized_cte() }} (
    select
        propagated.node_id,
        least(propagated.label, parent.label) as label
    from propagated_{{ round }} as propagated
    inner join propagated_{{ round }} as parent
        on propagated.label = parent.node_id
),
{% endfor %}
component_labels as (
    select
        node_id,
        label as component_label
    from labels_{{ rounds }}
)
{%- endmacro %}

{#
    Spark: the CTEs above read each round twice, and Spark plans a CTE referenced twice by
    copying it (the exchange is reused only when it runs), so 12 rounds grow the plan 4^12-fold
    (out of memory after 4 minutes on the demo). Here each round reads the round before once and
    runs the same algorithm, so the labels equal DuckDB's round for round. The state is one row
    per node and neighbour (and the node with itself) carrying the node's label:
      - propagate: a window over each unordered pair gives both ends the smaller label; a window
        over each node keeps its smallest (the node's own row keeps its own label);
      - jump: every row is paired with a two-row literal table, once as an "answer" keyed by its
        node and once as a "question" keyed by its label; a window over each key hands every
        question the label of the node its label names. That is the self-join of the DuckDB
        rounds, done with one read.
#}
{% macro spark__connected_components(nodes, edges, rounds) -%}
components_state_0 as (
    select
        node_id,
        node_id as neighbour_id,
        node_id as label
    from {{ nodes }}
    union all
    select
        node_a as node_id,
        node_b as neighbour_id,
        node_a as label
    from {{ edges }}
),
{% for round in range(1, rounds + 1) %}
components_paired_{{ round }} as (
    select
        node_id,
        neighbour_id,
        min(label) over (
            partition by least(node_id, neighbour_id), greatest(node_id, neighbour_id)
        ) as pair_label
    from components_state_{{ round - 1 }}
),

components_propagated_{{ round }} as (
    select
        node_id,
        neighbour_id,
        min(pair_label) over (partition by node_id) as label
    from components_paired_{{ round }}
),

components_asked_{{ round }} as (
    select
        propagated.node_id,
        propagated.neighbour_id,
        propagated.label,
        roles.is_question,
        min(case when not roles.is_question then propagated.label end) over (
            partition by case when roles.is_question then propagated.label else propagated.node_id end
        ) as label_of_label
    from components_propagated_{{ round }} as propagated
    cross join (values (true), (false)) as roles (is_question)
),

components_state_{{ round }} as (
    select
        node_id,
        neighbour_id,
        least(label, label_of_label) as label
    from components_asked_{{ round }}
    where is_question
),
{% endfor %}
component_labels as (
    select
        node_id,
        min(label) as component_label
    from components_state_{{ rounds }}
    group by node_id
)
{%- endmacro %}
