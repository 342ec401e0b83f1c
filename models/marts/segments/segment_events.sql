{#- Entered / exited events between consecutive runs, with the columns of the rule whose values
    changed between the two runs (cause). The first run records every membership as entered
    (cause first_run). -#}
{%- set segments = customer_segments.segment_catalog() %}
-- depends_on: {{ ref('segment_catalog') }}

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

run_pairs as (
    select
        as_of_date,
        run_number,
        lag(as_of_date) over (order by run_number) as previous_as_of_date
    from run_dates
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

entered as (
    select
        current_run.customer_id,
        current_run.segment_key,
        current_run.family,
        current_run.as_of_date,
        run_pairs.previous_as_of_date,
        'entered' as event_type,
        current_run.reason
    from members as current_run
    inner join run_pairs
        on current_run.run_number = run_pairs.run_number
    left join members as previous_run
        on
            current_run.customer_id = previous_run.customer_id
            and current_run.segment_key = previous_run.segment_key
            and current_run.run_number - 1 = previous_run.run_number
    where previous_run.customer_id is null
),

exited as (
    select
        previous_run.customer_id,
        previous_run.segment_key,
        previous_run.family,
        run_pairs.as_of_date,
        run_pairs.previous_as_of_date,
        'exited' as event_type,
        previous_run.reason
    from members as previous_run
    inner join run_pairs
        on previous_run.run_number + 1 = run_pairs.run_number
    left join members as current_run
        on
            previous_run.customer_id = current_run.customer_id
            and previous_run.segment_key = current_run.segment_key
            and previous_run.run_number + 1 = current_run.run_number
    where current_run.customer_id is null
),

events as (
    select * from entered
    union all
    select * from exited
),

causes as (
    select
        events.customer_id,
        events.segment_key,
        events.family,
        events.as_of_date,
        events.previous_as_of_date,
        events.event_type,
        events.reason,
        case
            when events.previous_as_of_date is null then 'first_run'
            when previous_snapshot.customer_id is null then 'new_customer'
            when current_snapshot.customer_id is null then 'left_customer_base'
            {%- for segment in segments %}
                when events.segment_key = {{ customer_segments.segment_sql_string(segment.key) }} then concat_ws(
                    ',',
                    {%- for column in segment.columns %}
                        case
                            when
                                current_snapshot.attr__{{ column }} = previous_snapshot.attr__{{ column }}
                                or (
                                    current_snapshot.attr__{{ column }} is null
                                    and previous_snapshot.attr__{{ column }} is null
                                )
                                then null
                            else {{ customer_segments.segment_sql_string(column) }}
                        end{{ ',' if not loop.last }}
                    {%- endfor %}
                )
            {%- endfor %}
            else 'segment_not_in_catalog'
        end as changed_columns
    from events
    left join snapshots as current_snapshot
        on
            events.customer_id = current_snapshot.customer_id
            and events.as_of_date = current_snapshot.as_of_date
    left join snapshots as previous_snapshot
        on
            events.customer_id = previous_snapshot.customer_id
            and events.previous_as_of_date = previous_snapshot.as_of_date
),

final as (
    select
        as_of_date,
        customer_id,
        segment_key,
        family,
        event_type,
        previous_as_of_date,
        {#- no changed rule column: the rule itself (catalog) changed #}
        coalesce(nullif(changed_columns, ''), 'rule_changed') as cause,
        reason
    from causes
)

select * from final
