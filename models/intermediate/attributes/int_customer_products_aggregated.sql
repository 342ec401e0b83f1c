with

customers as (
    select * from {{ ref('customers') }}
),

order_items as (
    select * from {{ ref('int_order_items_converted') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

purchased_items as (
    select
        order_items.customer_id,
        order_items.ordered_at,
        order_items.product_id,
        order_items.category,
        order_items.is_eco_friendly,
        order_items.quantity,
        order_items.line_gross_margin_reporting
    from order_items
    cross join as_of
    where
        order_items.customer_id is not null
        and order_items.status = 'completed'
        and order_items.ordered_at < as_of.as_of_end_at
),

per_customer as (
    select
        customer_id,
        sum(quantity) as purchased_units,
        sum(case when is_eco_friendly then quantity else 0 end) as eco_friendly_units,
        count(distinct product_id) as purchased_products_count,
        sum(line_gross_margin_reporting) as gross_margin
    from purchased_items
    group by customer_id
),

top_categories as (
    {{ attr_top_value(
        'purchased_items',
        'customer_id',
        'category',
        weight_expression='sum(quantity)',
        recency_column='ordered_at',
        output_column='top_purchased_category'
    ) }}
),

final as (
    select
        per_customer.customer_id,
        top_categories.top_purchased_category,
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
    left join top_categories
        on per_customer.customer_id = top_categories.customer_id
)

select * from final
