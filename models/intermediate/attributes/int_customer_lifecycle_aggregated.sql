with

customers as (
    select * from {{ ref('int_customers_golden') }}
),

orders_aggregated as (
    select * from {{ ref('int_customer_orders_aggregated') }}
),

web_aggregated as (
    select * from {{ ref('int_customer_web_aggregated') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

customer_activity as (
    select
        customers.customer_id,
        coalesce(orders_aggregated.orders_count, 0) as orders_count,
        coalesce(web_aggregated.product_views_count, 0) > 0 as has_product_views,
        {{ dbt.datediff('orders_aggregated.last_order_date', 'as_of.as_of_date', 'day') }}
            as recency_days,
        {{ dbt.datediff('orders_aggregated.first_order_date', 'as_of.as_of_date', 'day') }}
            as tenure_days,
        orders_aggregated.last_order_gap_days
    from customers
    cross join as_of
    left join orders_aggregated
        on customers.customer_id = orders_aggregated.customer_id
    left join web_aggregated
        on customers.customer_id = web_aggregated.customer_id
),

final as (
    select
        customer_id,
        orders_count = 0 and has_product_views as is_browsed_not_bought,
        -- precedence: the first matching rule wins
        case
            when orders_count = 0 and has_product_views then 'browsed_not_bought'
            when orders_count = 0 then 'prospect'
            when recency_days > {{ var('attr_lapsed_after_days') }} then 'lapsed'
            when recency_days > {{ var('attr_at_risk_after_days') }} then 'at_risk'
            when last_order_gap_days > {{ var('attr_reactivation_gap_days') }} then 'reactivated'
            when tenure_days <= {{ var('attr_new_customer_days') }} then 'new'
            when orders_count >= {{ var('attr_loyal_min_orders') }} then 'loyal'
            else 'active'
        end as lifecycle_stage
    from customer_activity
)

select * from final
