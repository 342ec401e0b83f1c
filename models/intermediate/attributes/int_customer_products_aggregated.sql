with

customers as (
    select * from {{ ref('int_customers_golden') }}
),

business_customers as (
    select customer_id from {{ ref('int_customers_golden') }}
    where customer_type = 'business'
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

completed_orders as (
    {#- Completed orders up to as_of_date, with whether the buyer is a business: looked up once
        per order, rather than once per line, in the business customers only (a hash table of
        about 6% of the customers). Orders of people absent from customers (erased) are dropped
        by the final join to customers. -#}
    select
        orders.order_id,
        orders.customer_id,
        orders.ordered_at,
        orders.fx_rate_to_reporting,
        business_customers.customer_id is not null as is_business
    from orders
    left join business_customers
        on orders.customer_id = business_customers.customer_id
    cross join as_of
    where
        orders.customer_id is not null
        and orders.status = 'completed'
        and orders.ordered_at < as_of.as_of_end_at
),

purchased_items as (
    {#- Lines of completed orders, each with its product's category and eco flag and its margin
        at the order's fx rate. The margin is kept exact (no per-line rounding) and rounded
        once, at the end. The product key is kept only for business customers, whose distinct
        products are counted (business_products). -#}
    select
        completed_orders.customer_id,
        completed_orders.ordered_at,
        coalesce(products.category, 'unknown') as category,
        coalesce(products.is_eco_friendly, false) as is_eco_friendly,
        case when completed_orders.is_business then order_items.product_id end as b2b_product_id,
        order_items.quantity,
        -- null when the product's cost or the order's fx rate is unknown
        order_items.line_amount * completed_orders.fx_rate_to_reporting - order_items.quantity * products.unit_cost
            as gross_margin
    from order_items
    left join products
        on order_items.product_id = products.product_id
    inner join completed_orders
        on order_items.order_id = completed_orders.order_id
),

business_products as (
    {#- Distinct products of business customers, counted apart from the category rows: a
        filtered read of the few business lines is cheaper than grouping every line by
        product as well. -#}
    select
        customer_id,
        count(distinct b2b_product_id) as b2b_products_count
    from purchased_items
    where b2b_product_id is not null
    group by customer_id
),

customer_categories as (
    select
        customer_id,
        category,
        sum(quantity) as purchased_units,
        sum(case when is_eco_friendly then quantity else 0 end) as eco_friendly_units,
        sum(gross_margin) as gross_margin,
        max(ordered_at) as last_ordered_at
    from purchased_items
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
        sum(gross_margin) as gross_margin,
        {{ attr_top_value_pick('category', 'purchased_units', 'last_ordered_at') }} as top_purchased_category
    from customer_categories
    group by customer_id
),

final as (
    select
        per_customer.customer_id,
        per_customer.top_purchased_category,
        case
            when customers.customer_type = 'business' then coalesce(business_products.b2b_products_count, 0)
        end as b2b_products_count,
        cast(round(coalesce(per_customer.gross_margin, 0), 2) as decimal(18, 2)) as lifetime_gross_margin,
        case
            when per_customer.purchased_units > 0
                then {{ customer_segments.attr_round_ratio(
                    'per_customer.eco_friendly_units', 'per_customer.purchased_units', 4
                ) }}
        end as eco_friendly_share
    from per_customer
    inner join customers
        on per_customer.customer_id = customers.customer_id
    left join business_products
        on per_customer.customer_id = business_products.customer_id
)

select * from final
