{#- The run log's rows for its latest as_of_date are exactly the current memberships, and the
    current memberships are of that date (a backfill of an earlier date leaves them). One full
    outer join of the two, each read once. -#}
with

runs as (
    select * from {{ ref('segment_membership_runs') }}
),

memberships as (
    select * from {{ ref('segment_memberships') }}
),

latest_run as (
    select max(as_of_date) as as_of_date
    from runs
),

current_runs as (
    select
        runs.customer_id,
        runs.segment_key
    from runs
    inner join latest_run
        on runs.as_of_date = latest_run.as_of_date
),

compared as (
    select
        coalesce(current_runs.customer_id, memberships.customer_id) as customer_id,
        coalesce(current_runs.segment_key, memberships.segment_key) as segment_key,
        current_runs.customer_id is not null as is_in_runs,
        memberships.customer_id is not null as is_in_memberships,
        memberships.as_of_date
    from current_runs
    full outer join memberships
        on
            current_runs.customer_id = memberships.customer_id
            and current_runs.segment_key = memberships.segment_key
),

final as (
    select
        compared.customer_id,
        compared.segment_key,
        case
            when not compared.is_in_memberships then 'only in segment_membership_runs'
            when not compared.is_in_runs then 'only in segment_memberships'
            else 'segment_memberships is not of the latest run'
        end as problem
    from compared
    cross join latest_run
    where
        not compared.is_in_memberships
        or not compared.is_in_runs
        or compared.as_of_date <> latest_run.as_of_date
)

select * from final
