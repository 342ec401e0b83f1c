with

customers as (
    select * from {{ ref('int_customers_golden') }}
),

touches as (
    select * from {{ ref('stg_marketing__touches') }}
),

privacy_requests as (
    select * from {{ ref('stg_privacy__requests') }}
),

touch_records as (
    select * from {{ ref('int_records_resolved') }}
    where source = 'marketing_touches'
),

privacy_records as (
    select * from {{ ref('int_records_resolved') }}
    where source = 'privacy_requests'
),

orders_aggregated as (
    select * from {{ ref('int_customer_orders_aggregated') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

customer_touches as (
    select
        touch_records.customer_id,
        touches.touch_id,
        touches.sent_at,
        touches.opened_at,
        touches.clicked_at,
        case when touches.unsubscribed_at < as_of.as_of_end_at then touches.unsubscribed_at end as unsubscribed_at,
        touches.sent_at >= as_of.short_window_start_at as is_short_window
    from touches
    inner join touch_records
        on touches.touch_id = touch_records.record_key
    cross join as_of
    where touches.sent_at < as_of.as_of_end_at
),

-- consent events: privacy consent requests, and unsubscribes from a touch (an opt-out)
consent_events as (
    select
        privacy_records.customer_id,
        privacy_requests.requested_at as event_at,
        case when privacy_requests.request_type = 'marketing_opt_in' then 1 else 0 end as is_opt_in
    from privacy_requests
    inner join privacy_records
        on privacy_requests.request_id = privacy_records.record_key
    cross join as_of
    where
        privacy_requests.request_type in ('marketing_opt_in', 'marketing_opt_out')
        and privacy_requests.requested_at < as_of.as_of_end_at
    union all
    select
        customer_id,
        unsubscribed_at as event_at,
        0 as is_opt_in
    from customer_touches
    where unsubscribed_at is not null
),

latest_consent as (
    select
        customer_id,
        is_opt_in
    from (
        select
            customer_id,
            is_opt_in,
            -- at equal times an opt-out wins
            row_number() over (partition by customer_id order by event_at desc, is_opt_in asc) as event_rank
        from consent_events
    ) as ranked_events
    where event_rank = 1
),

touch_summary as (
    select
        customer_touches.customer_id,
        count(*) as touches_count,
        count(case when customer_touches.is_short_window then 1 end) as touches_last_30d,
        count(customer_touches.opened_at) as opened_touches_count,
        count(customer_touches.clicked_at) as clicked_touches_count,
        count(
            case
                when
                    orders_aggregated.last_order_at is null
                    or customer_touches.sent_at > orders_aggregated.last_order_at then 1
            end
        ) as contacts_since_last_purchase,
        max(customer_touches.sent_at) as last_contacted_at,
        max(case when customer_touches.unsubscribed_at is not null then 1 else 0 end) as has_touch_unsubscribe
    from customer_touches
    left join orders_aggregated
        on customer_touches.customer_id = orders_aggregated.customer_id
    group by customer_touches.customer_id
),

final as (
    select
        customers.customer_id,
        coalesce(touch_summary.touches_count, 0) as touches_count,
        coalesce(touch_summary.touches_last_30d, 0) as touches_last_30d,
        case
            when touch_summary.touches_count > 0
                then {{ customer_segments.attr_round_ratio(
                    'touch_summary.opened_touches_count', 'touch_summary.touches_count', 4
                ) }}
        end as open_rate,
        case
            when touch_summary.touches_count > 0
                then {{ customer_segments.attr_round_ratio(
                    'touch_summary.clicked_touches_count', 'touch_summary.touches_count', 4
                ) }}
        end as click_rate,
        coalesce(touch_summary.contacts_since_last_purchase, 0) as contacts_since_last_purchase,
        coalesce(touch_summary.contacts_since_last_purchase, 0) >= {{ var('max_contacts_without_purchase') }}
            as is_contact_fatigued,
        coalesce(touch_summary.has_touch_unsubscribe = 1 and latest_consent.is_opt_in = 0, false) as is_unsubscribed,
        case
            when latest_consent.is_opt_in is not null then latest_consent.is_opt_in = 1
            else coalesce(customers.is_marketing_opt_in, false)
        end as has_marketing_consent,
        touch_summary.last_contacted_at
    from customers
    left join touch_summary
        on customers.customer_id = touch_summary.customer_id
    left join latest_consent
        on customers.customer_id = latest_consent.customer_id
)

select * from final
