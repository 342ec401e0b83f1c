{#- The change log of customer keys between runs, from the key registry: new customers,
    records added to existing customers, merges (a key retired into an older surviving
    key) and splits (records leaving a key that lives on). One row per run, change, new
    key and previous key. Changes touching erased customers are not here. -#}
with

registry as (
    select * from {{ ref('int_customer_keys_registered') }}
),

erased as (
    select * from {{ ref('int_customers_erased') }}
),

changes as (
    select
        assigned_at as changed_at,
        change_type,
        customer_id,
        previous_customer_id,
        count(*) as record_count
    from registry
    group by
        assigned_at,
        change_type,
        customer_id,
        previous_customer_id
),

final as (
    select
        {{ dbt.concat([
            "cast(changes.changed_at as " ~ dbt.type_string() ~ ")", "'|'", 'changes.change_type', "'|'",
            'changes.customer_id', "'|'", "coalesce(changes.previous_customer_id, '')",
        ]) }} as identity_change_id,
        changes.changed_at,
        changes.change_type,
        changes.customer_id,
        changes.previous_customer_id,
        cast(changes.record_count as {{ dbt.type_int() }}) as record_count
    from changes
    left join erased
        on changes.customer_id = erased.customer_id
    left join erased as previous_erased
        on changes.previous_customer_id = previous_erased.customer_id
    where
        erased.customer_id is null
        and previous_erased.customer_id is null
)

select * from final
