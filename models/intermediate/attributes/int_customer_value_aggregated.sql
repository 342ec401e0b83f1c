with

customers as (
    select * from {{ ref('int_customers_golden') }}
),

orders_aggregated as (
    select * from {{ ref('int_customer_orders_aggregated') }}
),

products_aggregated as (
    select * from {{ ref('int_customer_products_aggregated') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

customer_values as (
    select
        customers.customer_id,
        coalesce(orders_aggregated.orders_count, 0) > 0 as has_completed_purchase,
        coalesce(orders_aggregated.lifetime_net_revenue, 0) as lifetime_net_revenue,
        coalesce(products_aggregated.lifetime_gross_margin, 0) as lifetime_gross_margin,
        coalesce(orders_aggregated.net_revenue_last_365d, 0) as net_revenue_last_365d,
        {{ dbt.datediff('orders_aggregated.last_order_date', 'as_of.as_of_date', 'day') }}
            as recency_days
    from customers
    cross join as_of
    left join orders_aggregated
        on customers.customer_id = orders_aggregated.customer_id
    left join products_aggregated
        on customers.customer_id = products_aggregated.customer_id
),

-- purchasers ranked by lifetime net revenue, largest first; equal revenue gets an equal rank
purchaser_ranks as (
    select
        customer_id,
        rank() over (order by lifetime_net_revenue desc) - 1 as customers_ahead,
        count(*) over () as purchasers_count
    from customer_values
    where has_completed_purchase
),

final as (
    select
        customer_values.customer_id,
        cast(customer_values.lifetime_net_revenue as decimal(18, 2)) as lifetime_net_revenue,
        cast(customer_values.lifetime_gross_margin as decimal(18, 2)) as lifetime_gross_margin,
        case
            when purchaser_ranks.customer_id is null then 'bottom'
            when purchaser_ranks.customers_ahead < {{ var('attr_value_top_share') }} * purchaser_ranks.purchasers_count
                then 'top_20'
            when
                purchaser_ranks.customers_ahead
                >= (1 - {{ var('attr_value_bottom_share') }}) * purchaser_ranks.purchasers_count
                then 'bottom'
            else 'middle'
        end as value_tier,
        cast(
            round(
                customer_values.net_revenue_last_365d
                * case
                    when customer_values.recency_days is null then 0
                    {% for band in var('attr_retention_factors') -%}
                        when customer_values.recency_days <= {{ band.max_recency_days }} then {{ band.factor }}
                    {% endfor -%}
                    else {{ var('attr_retention_floor_factor') }}
                end,
                2
            ) as decimal(18, 2)
        ) as predicted_12m_value
    from customer_values
    left join purchaser_ranks
        on customer_values.customer_id = purchaser_ranks.customer_id
)

select * from final
