{#- A view: customer_rfm computes the whole RFM step in one statement (no intermediate
    tables written), which keeps it close to a single hand-written query. -#}
{{ config(materialized='view') }}

with

customers as (
    select * from {{ ref('int_customers_golden') }}
),

orders as (
    select * from {{ ref('int_orders_converted') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

customer_orders as (
    select
        orders.customer_id,
        orders.order_date,
        orders.status,
        coalesce(orders.order_total_reporting, 0) as order_total_reporting,
        orders.order_date >= as_of.rfm_window_start_date as is_in_window
    from orders
    cross join as_of
    where
        orders.customer_id is not null
        and orders.ordered_at < as_of.as_of_end_at
        and orders.status in ('completed', 'returned', 'refunded')
),

per_customer as (
    select
        customer_id,
        max(case when status = 'completed' then order_date end) as last_purchase_date,
        count(case when status = 'completed' and is_in_window then 1 end) as frequency_orders,
        count(distinct case when status = 'completed' and is_in_window then order_date end) as frequency_days,
        sum(case when status = 'completed' and is_in_window then order_total_reporting else 0 end)
            as window_completed_revenue,
        sum(case when status in ('returned', 'refunded') and is_in_window then order_total_reporting else 0 end)
            as window_returned_revenue
    from customer_orders
    group by customer_id
),

final as (
    select
        customers.customer_id,
        as_of.as_of_date,
        per_customer.last_purchase_date,
        per_customer.last_purchase_date is not null as has_completed_purchase,
        {{ dbt.datediff('per_customer.last_purchase_date', 'as_of.as_of_date', 'day') }}
            as recency_days,
        coalesce(per_customer.frequency_orders, 0) as frequency_orders,
        coalesce(per_customer.frequency_days, 0) as frequency_days,
        cast(
            round(
                greatest(
                    coalesce(per_customer.window_completed_revenue, 0)
                    - coalesce(per_customer.window_returned_revenue, 0),
                    0
                ),
                2
            ) as decimal(18, 2)
        ) as monetary_net_revenue
    from customers
    cross join as_of
    left join per_customer
        on customers.customer_id = per_customer.customer_id
)

select * from final
