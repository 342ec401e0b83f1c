with

requests as (
    select * from {{ ref('base_raw__privacy_requests') }}
    where dq_status = 'clean'
),

final as (
    select
        request_id,
        crm_id,
        email,
        request_type,
        requested_at
    from requests
)

select * from final
