{{ config(**identity_changes_config()) }}
{#- The customers each run changed: a record of theirs was ranked again (a new record, a new
    version or a re-delivery: base_raw dq_ranked_at), or a record joined, left or moved
    between customers (state_customer_keys assigned_at, both the new and the previous key).
    An incremental run logs the changes after the latest it holds; a full build logs every
    customer the registry knows. Models keyed by customer (changed_rows_config) derive
    again only the customers logged after their own last run. -#}
-- depends_on: {{ ref('int_customers_erased') }}
{%- set since = latest_written_at('changed_at') %}
{%- set since_or_ever = since if since is not none else "cast('1900-01-01' as timestamp)" %}
with

registry as (
    select * from {{ ref('state_customer_keys') }}
),

ranked_records as (
    {{ identity_changed_records(since_or_ever) }}
),

changed_records as (
    select
        source,
        record_key
    from ranked_records
    group by
        source,
        record_key
),

record_changes as (
    select
        registry.customer_id,
        1 as is_record_changed,
        0 as is_key_changed
    from registry
    inner join changed_records
        on
            registry.source = changed_records.source
            and registry.record_key = changed_records.record_key
),

assignments as (
    select
        customer_id,
        previous_customer_id
    from registry
    where assigned_at > {{ since_or_ever }}
),

key_changes as (
    select
        customer_id,
        0 as is_record_changed,
        1 as is_key_changed
    from assignments
    union all
    select
        previous_customer_id as customer_id,
        0 as is_record_changed,
        1 as is_key_changed
    from assignments
    where previous_customer_id is not null
),

all_changes as (
    select * from record_changes
    union all
    select * from key_changes
),

final as (
    select
        {{ dbt.concat(['customer_id', "'@'", "'" ~ run_started_at.strftime('%Y-%m-%dT%H:%M:%S') ~ "'"]) }}
            as customer_change_id,
        customer_id,
        {{ raw_run_time() }} as changed_at,
        max(is_record_changed) = 1 as is_record_changed,
        max(is_key_changed) = 1 as is_key_changed
    from all_changes
    group by customer_id
)

select * from final
