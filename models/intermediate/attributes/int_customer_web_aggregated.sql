{#- Web behaviour and technographics, both from the web events grouped per device, day, session
    and device profile (int_web_sessions_grouped), summed up to as_of_date per device, session
    and profile (device_sessions); product views from the views grouped per device, day and
    product (int_web_product_views_grouped). -#}
{#- the device columns whose values are known when the SQL is compiled: platform and device
    type are validated in staging, os_family is one of attr_os_families or `other` -#}
{%- set listed_columns = {
    'device_type': var('device_types'),
    'os_family': var('attr_os_families').keys() | list + ['other'],
    'platform': var('web_platforms'),
} -%}
with

device_days as (
    select * from {{ ref('int_web_sessions_grouped') }}
),

product_view_days as (
    select * from {{ ref('int_web_product_views_grouped') }}
),

web_records as (
    select * from {{ ref('int_records_resolved') }}
    where source = 'web_events'
),

products as (
    select * from {{ ref('stg_commerce__products') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

device_sessions as (
    {#- One row per device (anonymous_id), session and raw device profile (a session normally
        has one profile), summed over its days up to as_of_date: only these rows are joined to
        the identity map. -#}
    select
        device_days.anonymous_id,
        device_days.session_id,
        device_days.platform,
        device_days.device_type,
        device_days.browser,
        device_days.locale,
        device_days.os,
        sum(device_days.events_count) as events_count,
        sum(device_days.product_views_count) as product_views_count,
        max(device_days.last_event_at) as last_event_at,
        max(device_days.has_order) as has_order,
        max(device_days.last_cart_at) as last_cart_at
    from device_days
    cross join as_of
    where device_days.event_date <= as_of.as_of_date
    group by
        device_days.anonymous_id,
        device_days.session_id,
        device_days.platform,
        device_days.device_type,
        device_days.browser,
        device_days.locale,
        device_days.os
),

customer_sessions as (
    select
        web_records.customer_id,
        device_sessions.session_id,
        device_sessions.events_count,
        device_sessions.product_views_count,
        device_sessions.last_event_at,
        device_sessions.has_order,
        device_sessions.last_cart_at,
        device_sessions.platform,
        device_sessions.device_type,
        device_sessions.browser,
        device_sessions.locale,
        device_sessions.os
    from device_sessions
    inner join web_records
        on device_sessions.anonymous_id = web_records.record_key
),

sessions as (
    {#- One row per customer and session: a session seen on two devices of one customer counts
        once. The events without a session form one row per customer, counted in the event
        totals only. -#}
    select
        customer_id,
        session_id,
        sum(events_count) as events_count,
        sum(product_views_count) as product_views_count,
        max(last_event_at) as last_event_at,
        max(case when last_cart_at is not null then 1 else 0 end) as has_cart,
        max(has_order) as has_order,
        max(last_cart_at) as last_cart_at
    from customer_sessions
    group by customer_id, session_id
),

per_customer as (
    {#- sessions in a window: those with an event in it, i.e. whose last event is -#}
    select
        sessions.customer_id,
        sum(sessions.events_count) as web_events_count,
        sum(sessions.product_views_count) as product_views_count,
        count(
            case
                when sessions.session_id is not null and sessions.last_event_at >= as_of.short_window_start_at
                    then 1
            end
        ) as sessions_last_30d,
        count(
            case
                when sessions.session_id is not null and sessions.last_event_at >= as_of.long_window_start_at
                    then 1
            end
        ) as sessions_last_90d,
        max(sessions.last_event_at) as last_web_event_at,
        count(case when sessions.session_id is not null and sessions.has_cart = 1 then 1 end) as cart_sessions_count,
        count(
            case when sessions.session_id is not null and sessions.has_cart = 1 and sessions.has_order = 0 then 1 end
        ) as cart_abandonments_count,
        max(
            case
                when sessions.session_id is not null and sessions.has_cart = 1 and sessions.has_order = 0
                    then sessions.last_cart_at
            end
        ) as last_cart_abandoned_at
    from sessions
    cross join as_of
    group by sessions.customer_id
),

viewed_product_counts as (
    {#- Views per customer and product (a product has one category), from the views grouped
        per device, day and product: the top values rank these rows instead of every view. -#}
    select
        web_records.customer_id,
        product_view_days.product_id,
        products.category,
        sum(product_view_days.views_count) as views_count,
        max(product_view_days.last_viewed_at) as last_viewed_at
    from product_view_days
    inner join web_records
        on product_view_days.anonymous_id = web_records.record_key
    left join products
        on product_view_days.product_id = products.product_id
    cross join as_of
    where product_view_days.event_date <= as_of.as_of_date
    group by
        web_records.customer_id,
        product_view_days.product_id,
        products.category
),

viewed_products as (
    {#- viewed_product_counts holds one row per customer and product, so the top product is
        picked from those rows in one aggregation (the attr_top_value tie policy), without
        grouping them by product again. -#}
    select
        customer_id,
        {{ attr_top_value_pick('product_id', 'views_count', 'last_viewed_at') }} as most_viewed_product_id
    from viewed_product_counts
    where product_id is not null
    group by customer_id
),

viewed_categories as (
    {{ attr_top_value(
        'viewed_product_counts',
        'customer_id',
        'category',
        weight_expression='sum(views_count)',
        recency_column='last_viewed_at',
        output_column='most_viewed_category'
    ) }}
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
        case
            when os is null then null
            else {{ attr_match_group('os', 'attr_os_families', else_label='other') }}
        end as os_family,
        sum(events_count) as events_count,
        max(last_event_at) as last_event_at
    from customer_sessions
    group by
        customer_id,
        platform,
        device_type,
        browser,
        locale,
        os_family
),

device_listed as (
    {#- One row per customer: the flags, and per listed value of device type, OS family and
        platform its events and last event time, from which the top values are picked without
        grouping the profiles by each value. -#}
    select
        customer_id,
        {% for column, values in listed_columns.items() -%}
            {{ attr_listed_value_aggregates(
                column, values, 'last_event_at', weight_column='events_count', weight_suffix='events'
            ) }},
        {% endfor -%}
        max(case when os_family = 'macos' then 1 else 0 end) = 1 as is_mac_user,
        max(case when platform in ('ios_app', 'android_app') then 1 else 0 end) = 1 as is_app_user
    from device_profiles
    group by customer_id
),

device_choices as (
    {#- the attr_top_value tie policy: most events, then the latest event, then alphabetical -#}
    select
        customer_id,
        is_mac_user,
        is_app_user,
        {{ attr_top_listed_value(
            listed_columns['device_type'], 'device_type_#_events', 'device_type_#_last_at'
        ) }} as primary_device_type,
        {{ attr_top_listed_value(
            listed_columns['os_family'], 'os_family_#_events', 'os_family_#_last_at'
        ) }} as os_family,
        {{ attr_top_listed_value(
            listed_columns['platform'], 'platform_#_events', 'platform_#_last_at'
        ) }} as primary_platform
    from device_listed
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
        per_customer.web_events_count,
        per_customer.product_views_count,
        per_customer.last_web_event_at,
        viewed_categories.most_viewed_category,
        viewed_products.most_viewed_product_id,
        per_customer.cart_abandonments_count,
        case
            when per_customer.cart_sessions_count > 0
                then {{ customer_segments.attr_round_ratio(
                    'per_customer.cart_abandonments_count', 'per_customer.cart_sessions_count', 4
                ) }}
        end as cart_abandonment_rate,
        per_customer.last_cart_abandoned_at,
        per_customer.sessions_last_30d,
        per_customer.sessions_last_90d,
        device_choices.primary_device_type,
        device_choices.os_family,
        device_choices.is_mac_user,
        device_choices.is_app_user,
        device_choices.primary_platform,
        browsers.primary_browser,
        locales.device_locale
    from per_customer
    left join viewed_products
        on per_customer.customer_id = viewed_products.customer_id
    left join viewed_categories
        on per_customer.customer_id = viewed_categories.customer_id
    left join device_choices
        on per_customer.customer_id = device_choices.customer_id
    left join browsers
        on per_customer.customer_id = browsers.customer_id
    left join locales
        on per_customer.customer_id = locales.customer_id
)

select * from final
