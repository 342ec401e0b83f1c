{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        full_refresh=false,
        on_schema_change='fail',
    )
}}
{#- The customer key registry: an append-only history of which customer_id each record
    holds. A run appends a row only for records that are new or change customer. Rules:
    a cluster keeps the key its records held before (when two keys meet, the OLDER one
    survives, then the smaller); a key split over several clusters stays with the cluster
    holding most of its records; a cluster without a surviving key gets a new key from its
    anchor (its strongest identifier), which is also the key a full rebuild gives it.
    full_refresh is off: `dbt build --full-refresh` keeps the history. -#}
{%- set run_started_literal = "'" ~ run_started_at.strftime('%Y-%m-%dT%H:%M:%S') ~ "'" %}
with

clustered as (
    select * from {{ ref('int_records_clustered') }}
),

{% if is_incremental() %}
    registry as (
        select
            source,
            record_key,
            customer_id,
            key_created_at,
            assigned_at
        from {{ this }}
    ),
{% else %}
    registry as (
        select
            source,
            record_key,
            cast(null as {{ dbt.type_string() }}) as customer_id,
            cast(null as timestamp) as key_created_at,
            cast(null as timestamp) as assigned_at
        from clustered
        where 1 = 0
    ),
{% endif %}

previous_ranked as (
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

previous as (
    select
        source,
        record_key,
        customer_id,
        key_created_at
    from previous_ranked
    where recency_rank = 1
),

used_keys as (
    select customer_id
    from registry
    group by customer_id
),

clusters as (
    select cluster_anchor
    from clustered
    group by cluster_anchor
),

cluster_previous_keys as (
    select
        clustered.cluster_anchor,
        previous.customer_id,
        previous.key_created_at,
        count(*) as record_count
    from clustered
    inner join previous
        on
            clustered.source = previous.source
            and clustered.record_key = previous.record_key
    group by
        clustered.cluster_anchor,
        previous.customer_id,
        previous.key_created_at
),

key_homes as (
    select
        cluster_anchor,
        customer_id,
        key_created_at,
        row_number() over (
            partition by customer_id
            order by record_count desc, cluster_anchor asc
        ) as home_rank
    from cluster_previous_keys
),

survivor_candidates as (
    select
        cluster_anchor,
        customer_id,
        key_created_at,
        row_number() over (
            partition by cluster_anchor
            order by key_created_at, customer_id
        ) as survivor_rank
    from key_homes
    where home_rank = 1
),

survivors as (
    select
        cluster_anchor,
        customer_id,
        key_created_at
    from survivor_candidates
    where survivor_rank = 1
),

fresh_keys as (
    select
        clusters.cluster_anchor,
        {{ identity_customer_key('clusters.cluster_anchor') }} as anchor_key
    from clusters
    left join survivors
        on clusters.cluster_anchor = survivors.cluster_anchor
    where survivors.cluster_anchor is null
),

cluster_keys as (
    select
        cluster_anchor,
        customer_id,
        key_created_at,
        false as is_new_key
    from survivors
    union all
    select
        fresh_keys.cluster_anchor,
        case
            when used_keys.customer_id is null then fresh_keys.anchor_key
            else
                {{ identity_customer_key(dbt.concat(['fresh_keys.cluster_anchor', "'@'", run_started_literal])) }}
        end as customer_id,
        {{ identity_run_timestamp() }} as key_created_at,
        true as is_new_key
    from fresh_keys
    left join used_keys
        on fresh_keys.anchor_key = used_keys.customer_id
),

assignments as (
    select
        clustered.source,
        clustered.record_key,
        cluster_keys.customer_id,
        previous.customer_id as previous_customer_id,
        cluster_keys.key_created_at,
        case
            when previous.customer_id is null and cluster_keys.is_new_key then 'new_customer'
            when previous.customer_id is null then 'record_added'
            when previous_survivors.customer_id is not null then 'split'
            else 'merge'
        end as change_type
    from clustered
    inner join cluster_keys
        on clustered.cluster_anchor = cluster_keys.cluster_anchor
    left join previous
        on
            clustered.source = previous.source
            and clustered.record_key = previous.record_key
    left join survivors as previous_survivors
        on previous.customer_id = previous_survivors.customer_id
    where
        previous.customer_id is null
        or previous.customer_id <> cluster_keys.customer_id
),

final as (
    select
        {{ dbt.concat(['source', "':'", 'record_key', "'@'", run_started_literal]) }} as registry_row_id,
        source,
        record_key,
        customer_id,
        previous_customer_id,
        change_type,
        key_created_at,
        {{ identity_run_timestamp() }} as assigned_at
    from assignments
)

select * from final
