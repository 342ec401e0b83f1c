{#- Membership spells: one row per customer, segment and uninterrupted stretch of runs in which
    the customer was a member. valid_to is the first run date at which the customer was no
    longer a member (exclusive), null while the spell is current. Read by
    segment_membership_history (a view of it) and segment_events (a spell's start and end are
    its entered and exited events). On DuckDB incremental: a run updates the spells that were
    current and adds those that start at the latest run (segment_history_since); spells that
    ended earlier cannot change. -#}
-- depends_on: {{ ref('int_as_of_date') }}
-- depends_on: {{ ref('state_segment_attribute_snapshots') }}
-- depends_on: {{ ref('state_segment_membership_runs') }}
{%- set covered = 'max(coalesce(valid_to, last_member_date))' %}
{%- set spell_key = ['customer_id', 'segment_key', 'valid_from'] %}
{{ config(**customer_segments.segment_history_config(spell_key, covered, one_run=true)) }}
{%- set since = customer_segments.segment_history_since(covered, one_run=true) %}
{%- if since is none %}
    with

    members as (
        select * from {{ ref('int_segment_memberships_numbered') }}
    ),

    islands as (
        select
            customer_id,
            segment_key,
            family,
            as_of_date,
            reason,
            run_number,
            next_as_of_date,
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
            spell_exit.next_as_of_date as valid_to,
            spells.last_member_date,
            cast(spells.last_run_number - spells.first_run_number + 1 as bigint) as runs_count,
            spell_exit.next_as_of_date is null as is_current,
            entry.reason as entry_reason
        from spells
        inner join islands as entry
            on
                spells.customer_id = entry.customer_id
                and spells.segment_key = entry.segment_key
                and spells.first_run_number = entry.run_number
        inner join islands as spell_exit
            on
                spells.customer_id = spell_exit.customer_id
                and spells.segment_key = spell_exit.segment_key
                and spells.last_run_number = spell_exit.run_number
    )

    select * from final
{%- else %}
    with

    latest_run as (
        select max(as_of_date) as as_of_date
        from {{ ref('state_segment_attribute_snapshots') }}
        where as_of_date > date '{{ since }}'
    ),

    latest as (
        select
            customer_id,
            segment_key,
            family,
            reason
        from {{ ref('state_segment_membership_runs') }}
        where as_of_date > date '{{ since }}'
    ),

    held as (
        select * from {{ this }}
        where valid_to is null
    ),

    final as (
        select
            coalesce(held.customer_id, latest.customer_id) as customer_id,
            coalesce(held.segment_key, latest.segment_key) as segment_key,
            greatest(held.family, latest.family) as family,
            coalesce(held.valid_from, latest_run.as_of_date) as valid_from,
            case when latest.customer_id is null then latest_run.as_of_date end as valid_to,
            case
                when latest.customer_id is null then held.last_member_date
                else latest_run.as_of_date
            end as last_member_date,
            cast(coalesce(held.runs_count, 0) + case when latest.customer_id is null then 0 else 1 end as bigint)
                as runs_count,
            latest.customer_id is not null as is_current,
            case when held.customer_id is null then latest.reason else held.entry_reason end as entry_reason
        from held
        full outer join latest
            on
                held.customer_id = latest.customer_id
                and held.segment_key = latest.segment_key
        cross join latest_run
    )

    select * from final
{%- endif %}
