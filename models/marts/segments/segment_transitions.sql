{#- Transition matrix of the exclusive families between consecutive runs: how many customers
    moved from each segment to each segment. `(none)` stands for not in the customer base
    (new customers on the from side, customers who left on the to side). On DuckDB incremental:
    a run derives the moves into the runs after those the mart holds (segment_history_since). -#}
{%- set covered = 'max(to_as_of_date)' %}
{{ config(**customer_segments.segment_history_config('to_as_of_date', covered)) }}
{%- set since = customer_segments.segment_history_since(covered) %}
{%- set runs_read = "as_of_date >= date '" ~ since ~ "'" if since is not none else 'true' %}
{%- set runs_new = "as_of_date > date '" ~ since ~ "'" if since is not none else 'true' %}
{%- set moves_new = "to_as_of_date > date '" ~ since ~ "'" if since is not none else 'true' %}
{%- set exclusive_families = customer_segments.segment_families(customer_segments.segment_catalog(), 'exclusive') %}
{%- set quoted = [] %}
{%- for family in exclusive_families %}
    {%- do quoted.append(customer_segments.sql_string(family)) %}
{%- endfor %}
{%- set family_list = quoted | join(', ') if quoted else "'(none)'" %}
-- depends_on: {{ ref('int_segment_catalog') }}
-- depends_on: {{ ref('int_as_of_date') }}
-- depends_on: {{ ref('state_segment_attribute_snapshots') }}

with

{# The two sides of the join read the numbered memberships each: the runs that have a next run
    (from), the new runs (to). #}
previous_members as (
    select
        customer_id,
        segment_key,
        family,
        as_of_date,
        run_number,
        next_as_of_date
    from {{ ref('int_segment_memberships_numbered') }}
    where
        family in ({{ family_list }})
        and {{ runs_read }}
        and next_as_of_date is not null
),

current_members as (
    select
        customer_id,
        segment_key,
        family,
        as_of_date,
        run_number,
        previous_as_of_date
    from {{ ref('int_segment_memberships_numbered') }}
    where
        family in ({{ family_list }})
        and {{ runs_new }}
),

moves as (
    {#- A move is between a run and the next one: from the previous run's side when the
        customer was in the family then, else from the current run's side. -#}
    select
        coalesce(previous_run.family, current_run.family) as family,
        coalesce(previous_run.as_of_date, current_run.previous_as_of_date) as from_as_of_date,
        coalesce(previous_run.next_as_of_date, current_run.as_of_date) as to_as_of_date,
        coalesce(previous_run.segment_key, '(none)') as from_segment_key,
        coalesce(current_run.segment_key, '(none)') as to_segment_key,
        coalesce(previous_run.customer_id, current_run.customer_id) as customer_id
    from previous_members as previous_run
    full outer join current_members as current_run
        on
            previous_run.customer_id = current_run.customer_id
            and previous_run.family = current_run.family
            and previous_run.run_number + 1 = current_run.run_number
),

counted as (
    select
        family,
        from_as_of_date,
        to_as_of_date,
        from_segment_key,
        to_segment_key,
        count(*) as customers_count
    from moves
    where
        from_as_of_date is not null
        and to_as_of_date is not null
        and {{ moves_new }}
    group by
        family,
        from_as_of_date,
        to_as_of_date,
        from_segment_key,
        to_segment_key
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
