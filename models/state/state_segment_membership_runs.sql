{#- Run log of memberships: every run appends the memberships of its as_of_date and replaces
    the rows a previous run wrote for that same date (idempotent; a backfill for a past
    as_of_date rewrites only that date). Erased people are purged from every date by
    purge_erased_state. -#}
{{ config(**customer_segments.segment_run_log_config()) }}

with

memberships as (
    select * from {{ ref('int_segment_memberships') }}
),

final as (
    select
        as_of_date,
        customer_id,
        segment_key,
        family,
        reason
    from memberships
)

select * from final
