{#- Every identifier of every record in staging, one row per (source, record_key,
    identifier_type, identifier_value): the edges of the identity graph before any guard. -#}
with

crm_customers as (
    select * from {{ ref('stg_crm__customers') }}
),

orders as (
    select * from {{ ref('stg_commerce__orders') }}
    where not is_anonymous
),

web_events as (
    select * from {{ ref('stg_web__events') }}
),

survey_responses as (
    select * from {{ ref('stg_feedback__survey_responses') }}
),

support_tickets as (
    select * from {{ ref('stg_feedback__support_tickets') }}
),

marketing_touches as (
    select * from {{ ref('stg_marketing__touches') }}
),

leads as (
    select * from {{ ref('stg_marketing__leads') }}
),

privacy_requests as (
    select * from {{ ref('stg_privacy__requests') }}
),

identifier_rows as (
    {{ identity_identifier_rows('crm_customers', 'crm_customers', 'crm_id',
        {'crm_id': 'crm_id', 'email': 'email', 'phone': 'phone', 'loyalty_card_id': 'loyalty_card_id'},
        'coalesce(signup_at, updated_at)') }}
    union all
    {{ identity_identifier_rows('orders', 'orders', 'order_id',
        {'crm_id': 'crm_id', 'email': 'email', 'phone': 'phone', 'loyalty_card_id': 'loyalty_card_id'},
        'ordered_at') }}
    union all
    {{ identity_identifier_rows('web_events', 'web_events', 'anonymous_id',
        {'anonymous_id': 'anonymous_id', 'crm_id': 'user_id', 'email': 'email'},
        'occurred_at') }}
    union all
    {{ identity_identifier_rows('survey_responses', 'survey_responses', 'response_id',
        {'crm_id': 'crm_id', 'email': 'email'},
        'submitted_at') }}
    union all
    {{ identity_identifier_rows('support_tickets', 'support_tickets', 'ticket_id',
        {'crm_id': 'crm_id', 'email': 'email'},
        'created_at') }}
    union all
    {{ identity_identifier_rows('marketing_touches', 'marketing_touches', 'touch_id',
        {'crm_id': 'crm_id', 'email': 'email', 'phone': 'phone'},
        'sent_at') }}
    union all
    {{ identity_identifier_rows('leads', 'leads', 'lead_id',
        {'lead_id': 'lead_id', 'email': 'email', 'phone': 'phone'},
        'created_at') }}
    union all
    {{ identity_identifier_rows('privacy_requests', 'privacy_requests', 'request_id',
        {'crm_id': 'crm_id', 'email': 'email'},
        'requested_at') }}
),

final as (
    select
        source,
        record_key,
        identifier_type,
        identifier_value,
        count(*) as evidence_count,
        min(seen_at) as first_seen_at,
        max(seen_at) as last_seen_at
    from identifier_rows
    group by
        source,
        record_key,
        identifier_type,
        identifier_value
)

select * from final
