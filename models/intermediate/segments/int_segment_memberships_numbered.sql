{#- Every membership of every run with the run's number and its neighbouring run dates (erased
    people were purged from the run logs by purge_erased_state): the one place where
    int_segment_spells and segment_transitions get run order. Runs are the as_of_dates of the
    customer-base run log (int_segment_attributes_snapshotted), so a run in which a segment had no member
    still counts. A view: its readers filter it differently. -#}
{{ config(materialized='view') }}

with

runs as (
    select * from {{ ref('state_segment_membership_runs') }}
),

snapshots as (
    select * from {{ ref('state_segment_attribute_snapshots') }}
),

run_dates as (
    select as_of_date
    from snapshots
    group by as_of_date
),

run_sequence as (
    select
        as_of_date,
        row_number() over (order by as_of_date) as run_number,
        lag(as_of_date) over (order by as_of_date) as previous_as_of_date,
        lead(as_of_date) over (order by as_of_date) as next_as_of_date
    from run_dates
),

final as (
    select
        runs.customer_id,
        runs.segment_key,
        runs.family,
        runs.as_of_date,
        runs.reason,
        run_sequence.run_number,
        run_sequence.previous_as_of_date,
        run_sequence.next_as_of_date
    from runs
    inner join run_sequence
        on runs.as_of_date = run_sequence.as_of_date
)

select * from final
