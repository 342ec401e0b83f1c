{#- Entered / exited events between consecutive runs, with the columns of the rule whose values
    changed between the two runs (cause). A spell of int_segment_spells starts with an entered
    event and, once it ended, ends with an exited one; the first run records every membership
    as entered (cause first_run). On DuckDB incremental: a run derives the events of the runs
    after those the mart holds (segment_history_since): the spells that start or end after
    them; the events of earlier runs cannot change. -#}
{%- set covered = 'max(as_of_date)' %}
{{ config(**customer_segments.segment_history_config('as_of_date', covered)) }}
{%- set since = customer_segments.segment_history_since(covered) %}
{#- the runs read: from the last one held (the run before the first new one) -#}
{%- set runs_read = "as_of_date >= date '" ~ since ~ "'" if since is not none else 'true' %}
{%- set new_after = " > date '" ~ since ~ "'" if since is not none else ' is not null' %}
{%- set segments = customer_segments.segment_catalog() %}
-- depends_on: {{ ref('int_segment_catalog') }}
-- depends_on: {{ ref('int_as_of_date') }}

with

spells as (
    select
        customer_id,
        segment_key,
        family,
        valid_from,
        valid_to,
        last_member_date,
        entry_reason
    from {{ ref('int_segment_spells') }}
    where valid_from{{ new_after }} or valid_to{{ new_after }}
),

run_dates as (
    select as_of_date
    from {{ ref('state_segment_attribute_snapshots') }}
    where {{ runs_read }}
    group by as_of_date
),

run_sequence as (
    select
        as_of_date,
        lag(as_of_date) over (order by as_of_date) as previous_as_of_date
    from run_dates
),

{# the reason of an exited event: the membership at the spell's last run #}
memberships as (
    select
        customer_id,
        segment_key,
        as_of_date,
        reason
    from {{ ref('state_segment_membership_runs') }}
    where {{ runs_read }}
),

entered as (
    select
        spells.customer_id,
        spells.segment_key,
        spells.family,
        spells.valid_from as as_of_date,
        run_sequence.previous_as_of_date,
        'entered' as event_type,
        spells.entry_reason as reason
    from spells
    inner join run_sequence
        on spells.valid_from = run_sequence.as_of_date
    where spells.valid_from{{ new_after }}
),

exited as (
    select
        spells.customer_id,
        spells.segment_key,
        spells.family,
        spells.valid_to as as_of_date,
        spells.last_member_date as previous_as_of_date,
        'exited' as event_type,
        last_run.reason
    from spells
    left join memberships as last_run
        on
            spells.customer_id = last_run.customer_id
            and spells.segment_key = last_run.segment_key
            and spells.last_member_date = last_run.as_of_date
    where spells.valid_to{{ new_after }}
),

events as (
    select * from entered
    union all
    select * from exited
),

{# the customer-base snapshots of the runs read; on an incremental run only those of the
    customers with an event #}
snapshots as (
    select * from {{ ref('state_segment_attribute_snapshots') }}
    where
        {{ runs_read }}
        and {{ 'customer_id in (select events.customer_id from events)' if since is not none else 'true' }}
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
)

select * from final
