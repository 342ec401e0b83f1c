{#- Keys numbered by the node id's type prefix (`i1` crm_id ... `i9`, then `r:` records):
    strong identifiers spread their labels first, and a two-character sort is cheap. -#}
{{ config(materialized='identity_components', key_order='substr(node_id, 1, 2)') }}
{#- Connected components of the whole identity graph (record and identifier nodes joined by
    the linking edges). Every record is listed as an isolated node too, so that records
    without a linking identifier still get a component. -#}
with

identifiers as (
    select * from {{ ref('int_identifiers_guarded') }}
),

linking_edges as (
    select
        {{ identity_record_node_id('source', 'record_key') }} as node_id,
        {{ identity_identifier_node_id('identifier_type', 'identifier_value') }} as neighbour_id
    from identifiers
    where is_linking
),

record_nodes as (
    select
        {{ identity_record_node_id('source', 'record_key') }} as node_id,
        {{ identity_record_node_id('source', 'record_key') }} as neighbour_id
    from identifiers
    group by source, record_key
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
