with

customers as (
    select * from {{ ref('customers') }}
),

order_items as (
    select * from {{ ref('stg_commerce__order_items') }}
),

orders as (
    select * from {{ ref('int_orders_converted') }}
),

products as (
    select * from {{ ref('stg_commerce__products') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

purchased_items as (
    {#- Lines of completed orders up to as_of_date, at their order's fx rate. The products are
        kept exact (no per-line rounding) and the margin is rounded once, at the end: cheaper
        than rounding every line to 4 decimals, and closer to the true sum. -#}
    select
        orders.customer_id,
        orders.ordered_at,
        order_items.product_id,
        order_items.quantity,
        order_items.line_amount * orders.fx_rate_to_reporting as line_amount_reporting
    from order_items
    inner join orders
        on order_items.order_id = orders.order_id
    cross join as_of
    where
        orders.customer_id is not null
        and orders.status = 'completed'
        and orders.ordered_at < as_of.as_of_end_at
),

customer_products as (
    {#- One row per customer and product; the product's category, eco flag and unit cost are
        joined to these rows rather than to every line. -#}
    select
        customer_id,
        product_id,
        sum(quantity) as purchased_units,
        sum(line_amount_reporting) as line_amount_reporting,
        sum(case when line_amount_reporting is not null then quantity end) as converted_units,
        max(ordered_at) as last_ordered_at
    from purchased_items
    group by
        customer_id,
        product_id
),

customer_product_details as (
    select
        customer_products.customer_id,
        customer_products.product_id,
        coalesce(products.category, 'unknown') as category,
        coalesce(products.is_eco_friendly, false) as is_eco_friendly,
        customer_products.purchased_units,
        customer_products.last_ordered_at,
        -- null when the product's cost or every line's fx rate is unknown
        customer_products.line_amount_reporting
        - customer_products.converted_units * products.unit_cost as gross_margin
    from customer_products
    left join products
        on customer_products.product_id = products.product_id
),

customer_categories as (
    select
        customer_id,
        category,
        sum(purchased_units) as purchased_units,
        sum(case when is_eco_friendly then purchased_units else 0 end) as eco_friendly_units,
        count(product_id) as purchased_products_count,
        sum(gross_margin) as gross_margin,
        max(last_ordered_at) as last_ordered_at
    from customer_product_details
    group by
        customer_id,
        category
),

per_customer as (
    {#- The top category: most units, ties broken by the latest order, then alphabetically
        (attr_top_value_pick over the category rows this aggregation already reads). -#}
    select
        customer_id,
        sum(purchased_units) as purchased_units,
        sum(eco_friendly_units) as eco_friendly_units,
        sum(purchased_products_count) as purchased_products_count,
        sum(gross_margin) as gross_margin,
        {{ attr_top_value_pick('category', 'purchased_units', 'last_ordered_at') }} as top_purchased_category
    from customer_categories
    group by customer_id
),

final as (
    select
        per_customer.customer_id,
        per_customer.top_purchased_category,
        per_customer.purchased_products_count,
        case
            when customers.customer_type = 'business' then per_customer.purchased_products_count
        end as b2b_products_count,
        cast(round(coalesce(per_customer.gross_margin, 0), 2) as decimal(18, 2)) as lifetime_gross_margin,
        case
            when per_customer.purchased_units > 0
                then round(per_customer.eco_friendly_units * 1.0 / per_customer.purchased_units, 4)
        end as eco_friendly_share
    from per_customer
    inner join customers
        on per_customer.customer_id = customers.customer_id
)

select * from final
