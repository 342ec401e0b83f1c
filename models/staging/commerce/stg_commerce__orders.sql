with

orders as (
    select * from {{ ref('base_raw__orders') }}
    where dq_status = 'clean'
),

final as (
    select
        order_id,
        updated_at,
        source_system,
        crm_id,
        email,
        phone,
        loyalty_card_id,
        store_id,
        ordered_at,
        cast(ordered_at as date) as order_date,
        coalesce(status, 'completed') as status,
        currency,
        order_total,
        coalesce(discount_amount, 0) as discount_amount,
        coalesce(shipping_amount, 0) as shipping_amount,
        coalesce(tax_amount, 0) as tax_amount,
        payment_method,
        (
            crm_id is null and email is null and phone is null and loyalty_card_id is null
        ) as is_anonymous
    from orders
)

select * from final
