with

touches as (
    select * from {{ ref('base_raw__marketing_touches') }}
    where dq_status = 'clean'
),

final as (
    select
        touch_id,
        crm_id,
        email,
        phone,
        campaign_id,
        channel,
        sent_at,
        opened_at,
        clicked_at,
        converted_at,
        unsubscribed_at
    from touches
)

select * from final
