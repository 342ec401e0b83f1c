{#- Keys numbered by the node id's type prefix (`i1` crm_id ... `i9`, then `r:` records):
    strong identifiers spread their labels first, and a two-character sort is cheap. -#}
{{ config(materialized='identity_components', key_order='substr(node_id, 1, 2)', scoped_by_records=true) }}
{{ identity_records_depends_on() }}
{#- Connected components of the whole identity graph (record and identifier nodes joined by
    the linking edges). Every record is listed as an isolated node too, so that records
    without a linking identifier still get a component. On DuckDB a later run gives only
    the edges of the records int_identifiers_guarded derived since the model's last run,
    with a marker row for each (identity_components_since, identity_components_scope_markers). -#}
{%- set since = identity_components_since() %}
with

identifiers as (
    select * from {{ ref('int_identifiers_guarded') }}
    where {{ identity_written_after(since) }}
),

linking_edges as (
    select
        {{ identity_record_node_id('source', 'record_key') }} as node_id,
        {{ identity_identifier_node_id('identifier_type', 'identifier_value') }} as neighbour_id,
        {{ raw_run_time() }} as computed_at
    from identifiers
    where is_linking
),

record_nodes as (
    select
        {{ identity_record_node_id('source', 'record_key') }} as node_id,
        {{ identity_record_node_id('source', 'record_key') }} as neighbour_id,
        {{ raw_run_time() }} as computed_at
    from identifiers
    group by source, record_key
),

final as (
    select
        node_id,
        neighbour_id,
        computed_at
    from linking_edges
    union all
    select
        node_id,
        neighbour_id,
        computed_at
    from record_nodes
    {{ identity_components_scope_markers(since) }}
)

select * from final
