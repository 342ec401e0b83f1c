{{ config(**changed_rows_config('web_days')) }}
{#- The web events grouped once per device (anonymous_id), day, session and raw device profile:
    int_customer_web_aggregated sums these rows up to as_of_date instead of reading every event.
    On DuckDB incremental: a run groups again only the devices and days of the event rows
    base_raw ranked after the model's last run (web_state_touched). -#}
-- depends_on: {{ ref('base_raw__web_events') }}
with

events as (
    {{ web_state_events() }}
),

grouped as (
    select
        anonymous_id,
        cast(occurred_at as date) as event_date,
        session_id,
        platform,
        device_type,
        browser,
        locale,
        os,
        count(*) as events_count,
        count(case when event_type = 'product_view' then 1 end) as product_views_count,
        max(occurred_at) as last_event_at,
        max(case when event_type = 'order_completed' then 1 else 0 end) as has_order,
        max(case when event_type in ('add_to_cart', 'checkout_started') then occurred_at end) as last_cart_at
    from events
    where anonymous_id is not null
    group by
        anonymous_id,
        cast(occurred_at as date),
        session_id,
        platform,
        device_type,
        browser,
        locale,
        os
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            'anonymous_id', "'|'", 'cast(event_date as ' ~ dbt.type_string() ~ ')',
            "'|'", "coalesce(session_id, '')", "'|'", "coalesce(platform, '')",
            "'|'", "coalesce(device_type, '')", "'|'", "coalesce(browser, '')",
            "'|'", "coalesce(locale, '')", "'|'", "coalesce(os, '')",
        ])) }} as web_session_day_id,
        anonymous_id,
        event_date,
        session_id,
        platform,
        device_type,
        browser,
        locale,
        os,
        events_count,
        product_views_count,
        last_event_at,
        has_order,
        last_cart_at,
        {{ raw_run_time() }} as computed_at
    from grouped
)

select * from final
