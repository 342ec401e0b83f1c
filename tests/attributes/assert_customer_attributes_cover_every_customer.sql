-- Property: customer_attributes and customer_rfm hold exactly the customers of `customers`
-- (so erased people never appear and nobody is dropped). Returns the mismatching customer ids.
with

customers as (
    select * from {{ ref('customers') }}
),

attributes as (
    select * from {{ ref('customer_attributes') }}
),

rfm as (
    select * from {{ ref('customer_rfm') }}
),

final as (
    select
        coalesce(customers.customer_id, attributes.customer_id, rfm.customer_id) as customer_id,
        customers.customer_id is not null as is_in_customers,
        attributes.customer_id is not null as is_in_attributes,
        rfm.customer_id is not null as is_in_rfm
    from customers
    full outer join attributes
        on customers.customer_id = attributes.customer_id
    full outer join rfm
        on coalesce(customers.customer_id, attributes.customer_id) = rfm.customer_id
    where customers.customer_id is null or attributes.customer_id is null or rfm.customer_id is null
)

select * from final
