with

stores as (
    select * from {{ ref('base_raw__stores') }}
    where dq_status = 'clean'
),

final as (
    select
        store_id,
        store_name,
        city,
        country_code,
        latitude,
        longitude,
        opened_at as opened_date
    from stores
)

select * from final
