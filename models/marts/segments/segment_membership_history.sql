{#- Membership spells: one row per customer, segment and uninterrupted stretch of runs in which
    the customer was a member. valid_to is the first run date at which the customer was no
    longer a member (exclusive), null while the spell is current. -#}
with

runs as (
    select * from {{ ref('segment_membership_runs') }}
),

snapshots as (
    select * from {{ ref('int_segment_attributes_snapshotted') }}
),

erased as (
    select * from {{ ref('int_customers_erased') }}
),

run_dates as (
    select
        as_of_date,
        row_number() over (order by as_of_date) as run_number
    from snapshots
    group by as_of_date
),

members as (
    select
        runs.customer_id,
        runs.segment_key,
        runs.family,
        runs.as_of_date,
        runs.reason,
        run_dates.run_number
    from runs
    inner join run_dates
        on runs.as_of_date = run_dates.as_of_date
    left join erased
        on runs.customer_id = erased.customer_id
    where erased.customer_id is null
),

islands as (
    select
        customer_id,
        segment_key,
        family,
        as_of_date,
        reason,
        run_number,
        run_number - row_number() over (
            partition by customer_id, segment_key
            order by run_number
        ) as island_number
    from members
),

spells as (
    select
        customer_id,
        segment_key,
        island_number,
        max(family) as family,
        min(run_number) as first_run_number,
        max(run_number) as last_run_number,
        min(as_of_date) as valid_from,
        max(as_of_date) as last_member_date
    from islands
    group by customer_id, segment_key, island_number
),

final as (
    select
        spells.customer_id,
        spells.segment_key,
        spells.family,
        spells.valid_from,
        next_run.as_of_date as valid_to,
        spells.last_member_date,
        spells.last_run_number - spells.first_run_number + 1 as runs_count,
        next_run.as_of_date is null as is_current,
        entry.reason as entry_reason
    from spells
    inner join islands as entry
        on
            spells.customer_id = entry.customer_id
            and spells.segment_key = entry.segment_key
            and spells.first_run_number = entry.run_number
    left join run_dates as next_run
        on spells.last_run_number + 1 = next_run.run_number
)

select * from final
