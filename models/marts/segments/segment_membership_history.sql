{#- Membership spells: one row per customer, segment and uninterrupted stretch of runs in which
    the customer was a member. valid_to is the first run date at which the customer was no
    longer a member (exclusive), null while the spell is current. -#}
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
