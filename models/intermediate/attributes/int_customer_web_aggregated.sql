with

web_events as (
    select * from {{ ref('stg_web__events') }}
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
    {#- Events are first reduced to one row per device (anonymous_id) and session, and one per
        device and viewed product, so that only these rows are joined to the identity map. -#}
    select
        web_events.anonymous_id,
        web_events.session_id,
        count(*) as events_count,
        count(case when web_events.event_type = 'product_view' then 1 end) as product_views_count,
        max(web_events.occurred_at) as last_event_at,
        max(case when web_events.event_type = 'order_completed' then 1 else 0 end) as has_order,
        max(case when web_events.event_type in ('add_to_cart', 'checkout_started') then web_events.occurred_at end)
            as last_cart_at
    from web_events
    cross join as_of
    where web_events.occurred_at < as_of.as_of_end_at
    group by
        web_events.anonymous_id,
        web_events.session_id
),

device_product_views as (
    select
        web_events.anonymous_id,
        web_events.product_id,
        count(*) as views_count,
        max(web_events.occurred_at) as last_viewed_at
    from web_events
    cross join as_of
    where
        web_events.occurred_at < as_of.as_of_end_at
        and web_events.event_type = 'product_view'
    group by
        web_events.anonymous_id,
        web_events.product_id
),

customer_sessions as (
    select
        web_records.customer_id,
        device_sessions.session_id,
        device_sessions.events_count,
        device_sessions.product_views_count,
        device_sessions.last_event_at,
        -- a session is in a window when any of its events is: its last event is
        device_sessions.last_event_at >= as_of.short_window_start_at as is_short_window,
        device_sessions.last_event_at >= as_of.long_window_start_at as is_long_window,
        device_sessions.has_order,
        device_sessions.last_cart_at
    from device_sessions
    inner join web_records
        on device_sessions.anonymous_id = web_records.record_key
    cross join as_of
),

sessions as (
    -- a session seen on two devices of one customer counts once
    select
        customer_id,
        session_id,
        max(case when last_cart_at is not null then 1 else 0 end) as has_cart,
        max(has_order) as has_order,
        max(last_cart_at) as last_cart_at
    from customer_sessions
    where session_id is not null
    group by customer_id, session_id
),

cart_sessions as (
    select
        customer_id,
        count(case when has_cart = 1 then 1 end) as cart_sessions_count,
        count(case when has_cart = 1 and has_order = 0 then 1 end) as cart_abandonments_count,
        max(case when has_cart = 1 and has_order = 0 then last_cart_at end) as last_cart_abandoned_at
    from sessions
    group by customer_id
),

per_customer as (
    select
        customer_id,
        sum(events_count) as web_events_count,
        sum(product_views_count) as product_views_count,
        count(distinct case when is_short_window then session_id end) as sessions_last_30d,
        count(distinct case when is_long_window then session_id end) as sessions_last_90d,
        max(last_event_at) as last_web_event_at
    from customer_sessions
    group by customer_id
),

viewed_product_counts as (
    {#- Views per customer and product (a product has one category): the top values rank
        these rows instead of every view. -#}
    select
        web_records.customer_id,
        device_product_views.product_id,
        products.category,
        sum(device_product_views.views_count) as views_count,
        max(device_product_views.last_viewed_at) as last_viewed_at
    from device_product_views
    inner join web_records
        on device_product_views.anonymous_id = web_records.record_key
    left join products
        on device_product_views.product_id = products.product_id
    group by
        web_records.customer_id,
        device_product_views.product_id,
        products.category
),

viewed_products as (
    {{ attr_top_value(
        'viewed_product_counts',
        'customer_id',
        'product_id',
        weight_expression='sum(views_count)',
        recency_column='last_viewed_at',
        output_column='most_viewed_product_id'
    ) }}
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

final as (
    select
        per_customer.customer_id,
        per_customer.web_events_count,
        per_customer.product_views_count,
        per_customer.last_web_event_at,
        viewed_categories.most_viewed_category,
        viewed_products.most_viewed_product_id,
        coalesce(cart_sessions.cart_abandonments_count, 0) as cart_abandonments_count,
        case
            when cart_sessions.cart_sessions_count > 0
                then round(cart_sessions.cart_abandonments_count * 1.0 / cart_sessions.cart_sessions_count, 4)
        end as cart_abandonment_rate,
        cart_sessions.last_cart_abandoned_at,
        per_customer.sessions_last_30d,
        per_customer.sessions_last_90d
    from per_customer
    left join cart_sessions
        on per_customer.customer_id = cart_sessions.customer_id
    left join viewed_products
        on per_customer.customer_id = viewed_products.customer_id
    left join viewed_categories
        on per_customer.customer_id = viewed_categories.customer_id
)

select * from final
