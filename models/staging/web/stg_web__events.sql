with

events as (
    select * from {{ ref('base_raw__web_events') }}
    where dq_status = 'clean'
),

final as (
    select
        event_id,
        anonymous_id,
        user_id,
        email,
        session_id,
        event_type,
        occurred_at,
        received_at,
        product_id,
        order_id,
        page_path,
        platform,
        device_type,
        os,
        browser,
        {{ normalize_language_tag('locale') }} as locale,
        utm_source,
        utm_medium,
        utm_campaign,
        referrer
    from events
)

select * from final
