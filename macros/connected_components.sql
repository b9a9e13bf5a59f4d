{# purpose: label every node with the smallest node id of its connected component, by min-label propagation with pointer jumping, unrolled into a fixed number of rounds (portable SQL: joins and group by only) #}
{#
    nodes: a relation or CTE with node_id (bigint); edges: a relation or CTE with node_a, node_b
    holding BOTH directions of every undirected edge. Each round takes the smallest label among a
    node and its neighbours, then jumps to the label of that label, so the distance a label travels
    roughly doubles per round: `rounds` of 12 settles chains of thousands of nodes. Returns the CTE
    text ending in `component_labels (node_id, component_label)`; a test checks convergence.
#}
{% macro connected_components(nodes, edges, rounds) -%}
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
