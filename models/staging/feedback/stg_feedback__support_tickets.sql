with

tickets as (
    select * from {{ ref('base_raw__support_tickets') }}
    where dq_status = 'clean'
),

final as (
    select
        ticket_id,
        crm_id,
        email,
        created_at,
        coalesce(category, 'other') as category,
        lower(status) as status,
        satisfaction_score
    from tickets
)

select * from final
