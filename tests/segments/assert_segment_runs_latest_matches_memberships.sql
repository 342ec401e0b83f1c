{#- The run log's rows for its latest as_of_date are exactly the current memberships, and the
    current memberships are of that date (a backfill of an earlier date leaves them). -#}
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

not_of_the_latest_run as (
    select
        memberships.customer_id,
        memberships.segment_key,
        'segment_memberships is not of the latest run' as problem
    from memberships
    cross join latest_run
    where memberships.as_of_date <> latest_run.as_of_date
),

only_in_runs as (
    select
        current_runs.customer_id,
        current_runs.segment_key,
        'only in segment_membership_runs' as problem
    from current_runs
    left join memberships
        on
            current_runs.customer_id = memberships.customer_id
            and current_runs.segment_key = memberships.segment_key
    where memberships.customer_id is null
),

only_in_memberships as (
    select
        memberships.customer_id,
        memberships.segment_key,
        'only in segment_memberships' as problem
    from memberships
    left join current_runs
        on
            memberships.customer_id = current_runs.customer_id
            and memberships.segment_key = current_runs.segment_key
    where current_runs.customer_id is null
)

select * from only_in_runs
union all
select * from only_in_memberships
union all
select * from not_of_the_latest_run
