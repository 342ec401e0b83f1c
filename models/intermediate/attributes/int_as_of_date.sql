with

orders as (
    select * from {{ ref('stg_commerce__orders') }}
),

web_events as (
    select * from {{ ref('stg_web__events') }}
),

latest_activity as (
    select max(ordered_at) as latest_at from orders
    union all
    select max(occurred_at) as latest_at from web_events
),

as_of as (
    select
        {% if var('as_of_date') -%}
            max(cast('{{ var("as_of_date") }}' as date))
        {%- else -%}
            coalesce(cast(max(latest_at) as date), current_date)
        {%- endif %} as as_of_date
    from latest_activity
),

final as (
    select
        as_of_date,
        cast({{ dbt.dateadd('day', 1, 'as_of_date') }} as {{ dbt.type_timestamp() }}) as as_of_end_at,
        cast({{ dbt.dateadd('day', 1 - var('rfm_window_days'), 'as_of_date') }} as date) as rfm_window_start_date,
        cast({{ dbt.dateadd('day', -364, 'as_of_date') }} as date) as last_365d_start_date,
        cast(
            {{ dbt.dateadd('day', 1 - var('attr_short_window_days'), 'as_of_date') }} as {{ dbt.type_timestamp() }}
        ) as short_window_start_at,
        cast(
            {{ dbt.dateadd('day', 1 - var('attr_long_window_days'), 'as_of_date') }} as {{ dbt.type_timestamp() }}
        ) as long_window_start_at
    from as_of
)

select * from final
