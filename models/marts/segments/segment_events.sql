{#- Entered / exited events between consecutive runs, with the columns of the rule whose values
    changed between the two runs (cause). The first run records every membership as entered
    (cause first_run). On DuckDB incremental: a run derives the events of the runs after those
    the mart holds (segment_history_since); the events of earlier runs cannot change. -#}
{%- set covered = 'max(as_of_date)' %}
{{ config(**customer_segments.segment_history_config('as_of_date', covered)) }}
{%- set since = customer_segments.segment_history_since(covered) %}
{#- the runs read: from the last one held (the previous run of the first new one) -#}
{%- set runs_read = "as_of_date >= date '" ~ since ~ "'" if since is not none else 'true' %}
{%- set runs_new = "as_of_date > date '" ~ since ~ "'" if since is not none else 'true' %}
{%- set segments = customer_segments.segment_catalog() %}
-- depends_on: {{ ref('int_segment_catalog') }}
-- depends_on: {{ ref('int_as_of_date') }}

with

{# Each side of a join reads only the columns it needs: a CTE read twice would be held whole,
    reasons included. #}
current_members as (
    select
        customer_id,
        segment_key,
        family,
        as_of_date,
        previous_as_of_date,
        run_number,
        reason
    from {{ ref('int_segment_memberships_numbered') }}
    where {{ runs_new }}
),

current_keys as (
    select
        customer_id,
        segment_key,
        run_number
    from {{ ref('int_segment_memberships_numbered') }}
    where {{ runs_new }}
),

previous_members as (
    select
        customer_id,
        segment_key,
        family,
        as_of_date,
        next_as_of_date,
        run_number,
        reason
    from {{ ref('int_segment_memberships_numbered') }}
    where
        {{ runs_read }}
        and next_as_of_date is not null
),

previous_keys as (
    select
        customer_id,
        segment_key,
        run_number
    from {{ ref('int_segment_memberships_numbered') }}
    where {{ runs_read }}
),

snapshots as (
    select * from {{ ref('state_segment_attribute_snapshots') }}
    where {{ runs_read }}
),

entered as (
    select
        current_run.customer_id,
        current_run.segment_key,
        current_run.family,
        current_run.as_of_date,
        current_run.previous_as_of_date,
        'entered' as event_type,
        current_run.reason
    from current_members as current_run
    left join previous_keys as previous_run
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
        previous_run.next_as_of_date as as_of_date,
        previous_run.as_of_date as previous_as_of_date,
        'exited' as event_type,
        previous_run.reason
    from previous_members as previous_run
    left join current_keys as current_run
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
                when events.segment_key = {{ customer_segments.sql_string(segment.key) }} then concat_ws(
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
                            else {{ customer_segments.sql_string(column) }}
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
    where {{ runs_new }}
)

select * from final
