with

order_items as (
    select * from {{ ref('base_raw__order_items') }}
    where dq_status = 'clean'
),

final as (
    select
        dq_record_key as order_item_id,
        order_id,
        line_number,
        product_id,
        quantity,
        unit_price,
        coalesce(discount_amount, 0) as discount_amount,
        quantity * unit_price - coalesce(discount_amount, 0) as line_amount
    from order_items
)

select * from final
