{#- The change log of customer keys between runs, from the key registry: new customers,
    records added to existing customers, merges (a key retired into an older surviving
    key) and splits (records leaving a key that lives on). One row per run, change, new
    key and previous key. Changes touching erased customers are not here: purge_erased_state
    removed their rows from the registry (and the key a split record came from). -#}
-- depends_on: {{ ref('int_customers_erased') }}
with

registry as (
    select * from {{ ref('state_customer_keys') }}
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
    where
        changes.change_type not in ('merge', 'split')
        or changes.previous_customer_id is not null
)

select * from final
