with

products as (
    select * from {{ ref('base_raw__products') }}
    where dq_status = 'clean'
),

final as (
    select
        product_id,
        product_name,
        coalesce(lower(category), 'unknown') as category,
        lower(subcategory) as subcategory,
        brand,
        list_price,
        unit_cost,
        coalesce(is_eco_friendly, false) as is_eco_friendly,
        launched_at as launched_date
    from products
)

select * from final
