{{ config(materialized='identity_components') }}
{#- Connected components of the whole identity graph (record and identifier nodes joined by
    the linking edges). Every record is listed as an isolated node too, so that records
    without a linking identifier still get a component. -#}
with

identifiers as (
    select * from {{ ref('int_identifiers_guarded') }}
),

linking_edges as (
    select
        record_node_id as node_id,
        identifier_node_id as neighbour_id
    from identifiers
    where is_linking
),

record_nodes as (
    select
        record_node_id as node_id,
        record_node_id as neighbour_id
    from identifiers
    group by record_node_id
),

final as (
    select
        node_id,
        neighbour_id
    from linking_edges
    union all
    select
        node_id,
        neighbour_id
    from record_nodes
)

select * from final
