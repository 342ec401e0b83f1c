{{ config(**changed_rows_config('records')) }}
{{ identity_records_depends_on() }}
{#- One row per record node with its final cluster: the component of the whole graph, or,
    inside an oversize cluster, the component of its strongest links. cluster_anchor is the
    cluster's smallest node: its strongest-priority identifier (or the record itself).
    On DuckDB incremental: a run derives again the records int_identifiers_guarded wrote
    after the model's latest computed_at, and those whose node was labelled again since or
    lies in an oversize cluster (identity_records_clustered_after). -#}
{%- set since = latest_written_at('computed_at') %}
with

identifiers as (
    select * from {{ ref('int_identifiers_guarded') }}
    where {{ identity_records_clustered_after(since) }}
),

nodes as (
    select * from {{ ref('int_identity_nodes_labelled') }}
),

split_nodes as (
    select * from {{ ref('int_identity_nodes_split') }}
),

records as (
    select
        {{ identity_record_node_id('source', 'record_key') }} as record_node_id,
        source,
        record_key,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at
    from identifiers
    group by
        source,
        record_key
),

final as (
    select
        records.record_node_id,
        records.source,
        records.record_key,
        records.first_seen_at,
        records.last_seen_at,
        nodes.component_id as unsplit_cluster_anchor,
        coalesce(split_nodes.component_id, nodes.component_id) as cluster_anchor,
        split_nodes.component_id is not null as is_from_oversize_cluster,
        {{ raw_run_time() }} as computed_at
    from records
    inner join nodes
        on records.record_node_id = nodes.node_id
    left join split_nodes
        on records.record_node_id = split_nodes.node_id
)

select * from final
