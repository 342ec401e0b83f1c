{{ config(**changed_rows_config('web_days')) }}
{#- The product_view events grouped once per device (anonymous_id), day and product:
    int_customer_web_aggregated sums these rows up to as_of_date instead of reading every view.
    On DuckDB incremental, as int_web_sessions_grouped. -#}
-- depends_on: {{ ref('base_raw__web_events') }}
with

views as (
    {{ web_state_events() }}
),

grouped as (
    select
        anonymous_id,
        cast(occurred_at as date) as event_date,
        product_id,
        count(*) as views_count,
        max(occurred_at) as last_viewed_at
    from views
    where event_type = 'product_view' and anonymous_id is not null
    group by
        anonymous_id,
        cast(occurred_at as date),
        product_id
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            'anonymous_id', "'|'", 'cast(event_date as ' ~ dbt.type_string() ~ ')',
            "'|'", "coalesce(product_id, '')",
        ])) }} as web_product_day_id,
        anonymous_id,
        event_date,
        product_id,
        views_count,
        last_viewed_at,
        {{ raw_run_time() }} as computed_at
    from grouped
)

select * from final
