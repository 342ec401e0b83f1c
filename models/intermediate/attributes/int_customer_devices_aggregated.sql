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

customer_events as (
    select
        web_records.customer_id,
        web_events.occurred_at,
        web_events.platform,
        web_events.device_type,
        web_events.browser,
        web_events.locale,
        case
            when web_events.os is null then null
            else {{ attr_match_group('web_events.os', 'attr_os_families', else_label='other') }}
        end as os_family
    from web_events
    inner join web_records
        on web_events.anonymous_id = web_records.record_key
    cross join as_of
    where web_events.occurred_at < as_of.as_of_end_at
),

per_customer as (
    select
        customer_id,
        max(case when os_family = 'macos' then 1 else 0 end) = 1 as is_mac_user,
        max(case when platform in ('ios_app', 'android_app') then 1 else 0 end) = 1 as is_app_user
    from customer_events
    group by customer_id
),

device_types as (
    {{ attr_top_value(
        'customer_events',
        'customer_id',
        'device_type',
        recency_column='occurred_at',
        output_column='primary_device_type'
    ) }}
),

os_families as (
    {{ attr_top_value(
        'customer_events',
        'customer_id',
        'os_family',
        recency_column='occurred_at'
    ) }}
),

platforms as (
    {{ attr_top_value(
        'customer_events',
        'customer_id',
        'platform',
        recency_column='occurred_at',
        output_column='primary_platform'
    ) }}
),

browsers as (
    {{ attr_top_value(
        'customer_events',
        'customer_id',
        'browser',
        recency_column='occurred_at',
        output_column='primary_browser'
    ) }}
),

locales as (
    {{ attr_top_value(
        'customer_events',
        'customer_id',
        'locale',
        recency_column='occurred_at',
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
