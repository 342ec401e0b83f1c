{#- A view: its consumers (the RFM step in customer_rfm, the order and product families)
    read only the columns they need, and no copy of every order is written. -#}
{{ config(materialized='view') }}

with

order_items as (
    select * from {{ ref('stg_commerce__order_items') }}
),

orders as (
    select * from {{ ref('int_orders_converted') }}
),

products as (
    select * from {{ ref('stg_commerce__products') }}
),

final as (
    select
        order_items.order_item_id,
        order_items.order_id,
        order_items.line_number,
        orders.customer_id,
        orders.ordered_at,
        orders.order_date,
        orders.status,
        order_items.product_id,
        coalesce(products.category, 'unknown') as category,
        coalesce(products.is_eco_friendly, false) as is_eco_friendly,
        order_items.quantity,
        cast(order_items.unit_price * orders.fx_rate_to_reporting as decimal(18, 4)) as unit_price_reporting,
        cast(order_items.discount_amount * orders.fx_rate_to_reporting as decimal(18, 4))
            as discount_amount_reporting,
        cast(order_items.line_amount * orders.fx_rate_to_reporting as decimal(18, 4)) as line_amount_reporting,
        cast(order_items.quantity * products.unit_cost as decimal(18, 4)) as line_cost_reporting,
        cast(
            order_items.line_amount * orders.fx_rate_to_reporting - order_items.quantity * products.unit_cost
            as decimal(18, 4)
        ) as line_gross_margin_reporting
    from order_items
    inner join orders
        on order_items.order_id = orders.order_id
    left join products
        on order_items.product_id = products.product_id
)

select * from final
