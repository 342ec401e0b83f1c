{#- One row per run (as_of_date) and segment: size, share of the customer base, value, NPS,
    change since the previous run and ranks. Money in the reporting currency. -#}
with

runs as (
    select * from {{ ref('state_segment_membership_runs') }}
),

snapshots as (
    select * from {{ ref('state_segment_attribute_snapshots') }}
),

catalog as (
    select * from {{ ref('int_segment_catalog') }}
),

base as (
    select
        snapshots.as_of_date,
        snapshots.customer_id,
        snapshots.lifetime_net_revenue,
        snapshots.predicted_12m_value,
        snapshots.latest_nps_score
    from snapshots
),

run_dates as (
    select
        as_of_date,
        count(*) as customers_count,
        row_number() over (order by as_of_date) as run_number
    from base
    group by as_of_date
),

segment_keys as (
    select
        segment_key,
        family
    from catalog
    union
    select
        segment_key,
        family
    from runs
),

grid as (
    select
        run_dates.as_of_date,
        run_dates.run_number,
        run_dates.customers_count,
        segment_keys.segment_key,
        segment_keys.family
    from run_dates
    cross join segment_keys
),

aggregated as (
    select
        runs.as_of_date,
        runs.segment_key,
        count(*) as members_count,
        sum(base.lifetime_net_revenue) as net_revenue,
        avg(base.lifetime_net_revenue) as average_net_revenue,
        avg(base.predicted_12m_value) as average_predicted_12m_value,
        avg(base.latest_nps_score) as average_nps_score
    from runs
    inner join base
        on
            runs.customer_id = base.customer_id
            and runs.as_of_date = base.as_of_date
    group by runs.as_of_date, runs.segment_key
),

measured as (
    select
        grid.as_of_date,
        grid.run_number,
        grid.segment_key,
        grid.family,
        grid.customers_count,
        coalesce(aggregated.members_count, 0) as members_count,
        coalesce(aggregated.net_revenue, 0) as net_revenue,
        aggregated.average_net_revenue,
        aggregated.average_predicted_12m_value,
        aggregated.average_nps_score
    from grid
    left join aggregated
        on
            grid.as_of_date = aggregated.as_of_date
            and grid.segment_key = aggregated.segment_key
),

compared as (
    select
        measured.*,
        lag(measured.as_of_date) over (partition by measured.segment_key order by measured.run_number)
            as previous_as_of_date,
        lag(measured.members_count) over (partition by measured.segment_key order by measured.run_number)
            as previous_members_count,
        lag(measured.net_revenue) over (partition by measured.segment_key order by measured.run_number)
            as previous_net_revenue,
        rank() over (partition by measured.as_of_date order by measured.members_count desc)
            as size_rank,
        rank() over (partition by measured.as_of_date order by measured.net_revenue desc)
            as value_rank
    from measured
),

final as (
    select
        compared.as_of_date,
        compared.segment_key,
        catalog.segment_name,
        compared.family,
        catalog.priority,
        catalog.is_activatable,
        compared.members_count,
        cast(compared.members_count as double) / nullif(compared.customers_count, 0)
            as share_of_customers,
        compared.net_revenue,
        cast(compared.average_net_revenue as double) as average_net_revenue,
        cast(compared.average_predicted_12m_value as double) as average_predicted_12m_value,
        cast(compared.average_nps_score as double) as average_nps_score,
        compared.previous_as_of_date,
        compared.previous_members_count,
        compared.members_count - compared.previous_members_count as members_change,
        cast(compared.members_count - compared.previous_members_count as double)
        / nullif(compared.previous_members_count, 0) as members_change_share,
        compared.net_revenue - compared.previous_net_revenue as net_revenue_change,
        cast(compared.size_rank as bigint) as size_rank,
        cast(compared.value_rank as bigint) as value_rank,
        cast(rank() over (
            partition by compared.as_of_date
            order by compared.size_rank + compared.value_rank, compared.value_rank
        ) as bigint) as priority_rank,
        catalog.segment_key is not null as is_in_catalog
    from compared
    left join catalog
        on compared.segment_key = catalog.segment_key
)

select * from final
