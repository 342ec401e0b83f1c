{#- Keys numbered by the node id's type prefix (`i1` crm_id ... `i9`, then `r:` records):
    strong identifiers spread their labels first, and a two-character sort is cheap. -#}
{{ config(materialized='identity_components', key_order='substr(node_id, 1, 2)') }}
{#- Components recomputed inside oversize clusters only (more records than
    identity_max_cluster_records), using only the strongest identifier types
    (identity_split_link_types). Empty when no cluster is oversize. -#}
with

identifiers as (
    select * from {{ ref('int_identifiers_guarded') }}
),

nodes as (
    select * from {{ ref('int_identity_nodes_labelled') }}
),

record_components as (
    {#- Record nodes are the `r:` nodes of the labelled graph (identity_record_node_id). -#}
    select
        node_id as record_node_id,
        component_id
    from nodes
    where substr(node_id, 1, 2) = 'r:'
),

oversize_components as (
    select component_id
    from record_components
    group by component_id
    having count(*) > {{ var('identity_max_cluster_records') | int }}
),

oversize_records as (
    select record_components.record_node_id
    from record_components
    inner join oversize_components
        on record_components.component_id = oversize_components.component_id
),

strong_links as (
    select
        {{ identity_record_node_id('source', 'record_key') }} as record_node_id,
        {{ identity_identifier_node_id('identifier_type', 'identifier_value') }} as identifier_node_id
    from identifiers
    where
        is_linking
        and identifier_type in (
            {% for link_type in var('identity_split_link_types') -%}
                '{{ link_type }}'{% if not loop.last %},{% endif %}
            {% endfor %}
        )
),

strong_edges as (
    select
        strong_links.record_node_id as node_id,
        strong_links.identifier_node_id as neighbour_id
    from strong_links
    inner join oversize_records
        on strong_links.record_node_id = oversize_records.record_node_id
),

record_nodes as (
    select
        record_node_id as node_id,
        record_node_id as neighbour_id
    from oversize_records
),

final as (
    select
        node_id,
        neighbour_id
    from strong_edges
    union all
    select
        node_id,
        neighbour_id
    from record_nodes
)

select * from final
