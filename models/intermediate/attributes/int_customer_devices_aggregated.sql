with

web_events as (
    select * from {{ ref('stg_web__events') }}
),

web_records as (
    select * from {{ ref('int_records_resolved') }}
    where source = 'web_events'
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

device_event_profiles as (
    {#- Events are first reduced to one row per device (anonymous_id) and distinct raw profile,
        so that the OS mapping and the join to the identity map see these few rows only. -#}
    select
        web_events.anonymous_id,
        web_events.platform,
        web_events.device_type,
        web_events.browser,
        web_events.locale,
        web_events.os,
        count(*) as events_count,
        max(web_events.occurred_at) as last_event_at
    from web_events
    cross join as_of
    where web_events.occurred_at < as_of.as_of_end_at
    group by
        web_events.anonymous_id,
        web_events.platform,
        web_events.device_type,
        web_events.browser,
        web_events.locale,
        web_events.os
),

customer_event_profiles as (
    select
        web_records.customer_id,
        device_event_profiles.platform,
        device_event_profiles.device_type,
        device_event_profiles.browser,
        device_event_profiles.locale,
        case
            when device_event_profiles.os is null then null
            else {{ attr_match_group('device_event_profiles.os', 'attr_os_families', else_label='other') }}
        end as os_family,
        device_event_profiles.events_count,
        device_event_profiles.last_event_at
    from device_event_profiles
    inner join web_records
        on device_event_profiles.anonymous_id = web_records.record_key
),

device_profiles as (
    {#- One row per customer and distinct device profile: the top values below rank these few
        rows (weighted by their event counts) instead of every event. -#}
    select
        customer_id,
        platform,
        device_type,
        browser,
        locale,
        os_family,
        sum(events_count) as events_count,
        max(last_event_at) as last_event_at
    from customer_event_profiles
    group by
        customer_id,
        platform,
        device_type,
        browser,
        locale,
        os_family
),

per_customer as (
    select
        customer_id,
        max(case when os_family = 'macos' then 1 else 0 end) = 1 as is_mac_user,
        max(case when platform in ('ios_app', 'android_app') then 1 else 0 end) = 1 as is_app_user
    from device_profiles
    group by customer_id
),

device_types as (
    {{ attr_top_value(
        'device_profiles',
        'customer_id',
        'device_type',
        weight_expression='sum(events_count)',
        recency_column='last_event_at',
        output_column='primary_device_type'
    ) }}
),

os_families as (
    {{ attr_top_value(
        'device_profiles',
        'customer_id',
        'os_family',
        weight_expression='sum(events_count)',
        recency_column='last_event_at'
    ) }}
),

platforms as (
    {{ attr_top_value(
        'device_profiles',
        'customer_id',
        'platform',
        weight_expression='sum(events_count)',
        recency_column='last_event_at',
        output_column='primary_platform'
    ) }}
),

browsers as (
    {{ attr_top_value(
        'device_profiles',
        'customer_id',
        'browser',
        weight_expression='sum(events_count)',
        recency_column='last_event_at',
        output_column='primary_browser'
    ) }}
),

locales as (
    {{ attr_top_value(
        'device_profiles',
        'customer_id',
        'locale',
        weight_expression='sum(events_count)',
        recency_column='last_event_at',
        output_column='device_locale'
    ) }}
),

final as (
    select
        per_customer.customer_id,
        device_types.primary_device_type,
        os_families.os_family,
        per_customer.is_mac_user,
        per_customer.is_app_user,
        platforms.primary_platform,
        browsers.primary_browser,
        locales.device_locale
    from per_customer
    left join device_types
        on per_customer.customer_id = device_types.customer_id
    left join os_families
        on per_customer.customer_id = os_families.customer_id
    left join platforms
        on per_customer.customer_id = platforms.customer_id
    left join browsers
        on per_customer.customer_id = browsers.customer_id
    left join locales
        on per_customer.customer_id = locales.customer_id
)

select * from final
