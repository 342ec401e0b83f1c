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

customer_events as (
    select
        web_records.customer_id,
        web_events.session_id,
        web_events.event_type,
        web_events.occurred_at,
        web_events.product_id,
        web_events.occurred_at >= as_of.short_window_start_at as is_short_window,
        web_events.occurred_at >= as_of.long_window_start_at as is_long_window
    from web_events
    inner join web_records
        on web_events.anonymous_id = web_records.record_key
    cross join as_of
    where web_events.occurred_at < as_of.as_of_end_at
),

product_views as (
    select
        customer_events.customer_id,
        customer_events.occurred_at,
        customer_events.product_id,
        products.category
    from customer_events
    left join products
        on customer_events.product_id = products.product_id
    where customer_events.event_type = 'product_view'
),

sessions as (
    select
        customer_id,
        session_id,
        max(case when event_type in ('add_to_cart', 'checkout_started') then 1 else 0 end) as has_cart,
        max(case when event_type = 'order_completed' then 1 else 0 end) as has_order,
        max(case when event_type in ('add_to_cart', 'checkout_started') then occurred_at end) as last_cart_at
    from customer_events
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
        count(*) as web_events_count,
        count(case when event_type = 'product_view' then 1 end) as product_views_count,
        count(distinct case when is_short_window then session_id end) as sessions_last_30d,
        count(distinct case when is_long_window then session_id end) as sessions_last_90d,
        max(occurred_at) as last_web_event_at
    from customer_events
    group by customer_id
),

viewed_product_counts as (
    {#- Views per customer and product (a product has one category): the top values rank
        these rows instead of every view. -#}
    select
        customer_id,
        product_id,
        category,
        count(*) as views_count,
        max(occurred_at) as last_viewed_at
    from product_views
    group by
        customer_id,
        product_id,
        category
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
