{{ config(**changed_rows_config('records')) }}
{{ identity_records_depends_on() }}
{#- Every current record with its customer_id: the latest registry row of each record that
    still exists in the identity graph (erased people included; see int_records_resolved).
    On DuckDB incremental: a run derives again the records int_records_clustered wrote after
    the model's latest computed_at and those the key registry assigned since. -#}
{%- set since = latest_written_at('computed_at') %}
with

clustered as (
    select * from {{ ref('int_records_clustered') }}
    where {{ identity_records_rekeyed_or_written_after(since) }}
),

registry as (
    select * from {{ ref('state_customer_keys') }}
    where {{ identity_when_scoped(since, '(source, record_key) in (select source, record_key from clustered)') }}
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
        clustered.last_seen_at,
        {{ raw_run_time() }} as computed_at
    from clustered
    inner join registry_ranked
        on
            clustered.source = registry_ranked.source
            and clustered.record_key = registry_ranked.record_key
    where registry_ranked.recency_rank = 1
)

select * from final
