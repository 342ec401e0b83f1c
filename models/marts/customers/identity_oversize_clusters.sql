{#- Clusters of the identity graph with more records than identity_max_cluster_records
    (likely over-merges through a shared identifier). They are not merged: their records
    were split again using only identity_split_link_types; this report shows the cluster
    before the split and how many customers it became. Erased customers' records are not
    counted. -#}
with

resolved as (
    select * from {{ ref('int_records_resolved') }}
),

records as (
    select *
    from resolved
    where is_from_oversize_cluster
),

customer_sizes as (
    select
        unsplit_cluster_anchor,
        customer_id,
        count(*) as record_count
    from records
    group by
        unsplit_cluster_anchor,
        customer_id
),

clusters as (
    select
        unsplit_cluster_anchor,
        sum(record_count) as record_count,
        count(*) as customer_count,
        max(record_count) as largest_customer_record_count
    from customer_sizes
    group by unsplit_cluster_anchor
),

final as (
    select
        {{ identity_customer_key('unsplit_cluster_anchor') }} as oversize_cluster_id,
        cast(record_count as {{ dbt.type_int() }}) as record_count,
        cast(customer_count as {{ dbt.type_int() }}) as customer_count,
        cast(largest_customer_record_count as {{ dbt.type_int() }}) as largest_customer_record_count,
        largest_customer_record_count > {{ var('identity_max_cluster_records') | int }} as is_still_oversize,
        {{ identity_run_timestamp() }} as detected_at
    from clusters
)

select * from final
