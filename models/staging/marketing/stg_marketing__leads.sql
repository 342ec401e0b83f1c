with

leads as (
    select * from {{ ref('base_raw__leads') }}
    where dq_status = 'clean'
),

final as (
    select
        lead_id,
        email,
        phone,
        full_name,
        company_name,
        industry,
        employee_count,
        source as lead_source,
        coalesce(status, 'new') as lead_status,
        created_at
    from leads
)

select * from final
