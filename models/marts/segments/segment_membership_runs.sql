{#- Run log of memberships: every run appends the memberships of its as_of_date and replaces
    the rows a previous run wrote for that same date (idempotent; a backfill for a past
    as_of_date rewrites only that date). Erased people are purged from every date. -#}
{{ config(
    post_hook="{{ customer_segments.segment_purge_erased(this, ref('int_customers_erased')) }}",
    **customer_segments.segment_run_log_config()
) }}
-- depends_on: {{ ref('int_customers_erased') }}

with

memberships as (
    select * from {{ ref('segment_memberships') }}
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
