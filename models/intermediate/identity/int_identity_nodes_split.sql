{{ config(materialized='identity_components') }}
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
    select
        identifiers.record_node_id,
        nodes.component_id
    from identifiers
    inner join nodes
        on identifiers.record_node_id = nodes.node_id
    group by
        identifiers.record_node_id,
        nodes.component_id
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

strong_edges as (
    select
        identifiers.record_node_id as node_id,
        identifiers.identifier_node_id as neighbour_id
    from identifiers
    inner join oversize_records
        on identifiers.record_node_id = oversize_records.record_node_id
    where
        identifiers.is_linking
        and identifiers.identifier_type in (
            {% for link_type in var('identity_split_link_types') -%}
                '{{ link_type }}'{% if not loop.last %},{% endif %}
            {% endfor %}
        )
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
