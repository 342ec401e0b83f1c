{#- Every current record with its customer_id: the latest registry row of each record that
    still exists in the identity graph (erased people included; see int_records_resolved). -#}
with

clustered as (
    select * from {{ ref('int_records_clustered') }}
),

registry as (
    select * from {{ ref('state_customer_keys') }}
),

registry_ranked as (
    select
        source,
        record_key,
        customer_id,
        key_created_at,
        row_number() over (
            partition by source, record_key
            order by assigned_at desc, customer_id asc
        ) as recency_rank
    from registry
),

final as (
    select
        clustered.record_node_id,
        clustered.source,
        clustered.record_key,
        registry_ranked.customer_id,
        registry_ranked.key_created_at,
        clustered.cluster_anchor,
        clustered.unsplit_cluster_anchor,
        clustered.is_from_oversize_cluster,
        clustered.first_seen_at,
        clustered.last_seen_at
    from clustered
    inner join registry_ranked
        on
            clustered.source = registry_ranked.source
            and clustered.record_key = registry_ranked.record_key
    where registry_ranked.recency_rank = 1
)

select * from final
