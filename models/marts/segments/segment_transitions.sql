{#- Transition matrix of the exclusive families between consecutive runs: how many customers
    moved from each segment to each segment. `(none)` stands for not in the customer base
    (new customers on the from side, customers who left on the to side). -#}
{%- set exclusive_families = customer_segments.segment_families(customer_segments.segment_catalog(), 'exclusive') %}
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
        run_dates.run_number
    from runs
    inner join run_dates
        on runs.as_of_date = run_dates.as_of_date
    left join erased
        on runs.customer_id = erased.customer_id
    where
        erased.customer_id is null
        and runs.family in (
            {% for family in exclusive_families -%}
                {{ customer_segments.segment_sql_string(family) }}{% if not loop.last %},{% endif %}
            {% endfor -%}
            {% if not exclusive_families %}'(none)'{% endif %}
        )
),

moves as (
    select
        coalesce(previous_run.family, current_run.family) as family,
        coalesce(previous_run.run_number + 1, current_run.run_number) as to_run_number,
        coalesce(previous_run.segment_key, '(none)') as from_segment_key,
        coalesce(current_run.segment_key, '(none)') as to_segment_key,
        coalesce(previous_run.customer_id, current_run.customer_id) as customer_id
    from members as previous_run
    full outer join members as current_run
        on
            previous_run.customer_id = current_run.customer_id
            and previous_run.family = current_run.family
            and previous_run.run_number + 1 = current_run.run_number
),

counted as (
    select
        moves.family,
        run_pairs.previous_as_of_date as from_as_of_date,
        run_pairs.as_of_date as to_as_of_date,
        moves.from_segment_key,
        moves.to_segment_key,
        count(*) as customers_count
    from moves
    inner join run_pairs
        on moves.to_run_number = run_pairs.run_number
    where run_pairs.previous_as_of_date is not null
    group by
        moves.family,
        run_pairs.previous_as_of_date,
        run_pairs.as_of_date,
        moves.from_segment_key,
        moves.to_segment_key
),

final as (
    select
        family,
        from_as_of_date,
        to_as_of_date,
        from_segment_key,
        to_segment_key,
        customers_count,
        cast(customers_count as double) / sum(customers_count) over (
            partition by family, from_as_of_date, from_segment_key
        ) as share_of_from_segment,
        from_segment_key != to_segment_key as is_changed
    from counted
)

select * from final
