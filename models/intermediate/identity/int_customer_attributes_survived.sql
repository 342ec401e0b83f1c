{#- The surviving golden value of each (customer_id, attribute_name): among every non-null
    value of every record of the customer, the first by source priority
    (identity_attribute_source_priority), then the most recent record, then the record key.
    Grouped values travel together: income_currency only from a record with an income,
    coordinates only in pairs. -#}
with

resolved as (
    select * from {{ ref('int_records_resolved') }}
),

crm_customers as (
    select * from {{ ref('stg_crm__customers') }}
),

leads as (
    select * from {{ ref('stg_marketing__leads') }}
),

orders as (
    select * from {{ ref('stg_commerce__orders') }}
),

marketing_touches as (
    select * from {{ ref('stg_marketing__touches') }}
),

survey_responses as (
    select * from {{ ref('stg_feedback__survey_responses') }}
),

support_tickets as (
    select * from {{ ref('stg_feedback__support_tickets') }}
),

web_events as (
    select * from {{ ref('stg_web__events') }}
),

candidates as (
    {{ identity_attribute_rows('crm_customers', 'crm_customers', 'crm_id', {
        'first_name': 'first_name',
        'last_name': 'last_name',
        'full_name': 'full_name',
        'email': 'email',
        'phone': 'phone',
        'birth_date': 'birth_date',
        'gender': "case when gender <> 'unknown' then gender end",
        'marital_status': "case when marital_status <> 'unknown' then marital_status end",
        'children_count': 'children_count',
        'education': 'education',
        'occupation': 'occupation',
        'annual_income': 'annual_income',
        'income_currency': 'case when annual_income is not null then income_currency end',
        'city': 'city',
        'region': 'region',
        'postal_code': 'postal_code',
        'country_code': 'country_code',
        'latitude': 'case when longitude is not null then latitude end',
        'longitude': 'case when latitude is not null then longitude end',
        'urbanicity': 'urbanicity',
        'preferred_language': 'preferred_language',
        'loyalty_card_id': 'loyalty_card_id',
        'customer_type': 'customer_type',
        'company_name': 'company_name',
        'industry': 'industry',
        'employee_count': 'employee_count',
        'is_marketing_opt_in': 'is_marketing_opt_in',
    }, 'coalesce(crm_customers.updated_at, crm_customers.signup_at)') }}
    union all
    {{ identity_attribute_rows('leads', 'leads', 'lead_id', {
        'email': 'email',
        'phone': 'phone',
        'full_name': 'full_name',
        'company_name': 'company_name',
        'industry': 'industry',
        'employee_count': 'employee_count',
        'customer_type': "case when company_name is not null then 'business' else 'person' end",
    }, 'leads.created_at') }}
    union all
    {{ identity_attribute_rows('orders', 'orders', 'order_id', {
        'email': 'email',
        'phone': 'phone',
        'loyalty_card_id': 'loyalty_card_id',
    }, 'orders.ordered_at') }}
    union all
    {{ identity_attribute_rows('marketing_touches', 'marketing_touches', 'touch_id', {
        'email': 'email',
        'phone': 'phone',
    }, 'marketing_touches.sent_at') }}
    union all
    {{ identity_attribute_rows('survey_responses', 'survey_responses', 'response_id', {
        'email': 'email',
    }, 'survey_responses.submitted_at') }}
    union all
    {{ identity_attribute_rows('support_tickets', 'support_tickets', 'ticket_id', {
        'email': 'email',
    }, 'support_tickets.created_at') }}
    union all
    {{ identity_attribute_rows('web_events', 'web_events', 'anonymous_id', {
        'email': 'email',
    }, 'web_events.occurred_at') }}
),

ranked as (
    select
        customer_id,
        attribute_name,
        attribute_value,
        source,
        record_key,
        seen_at,
        {{ identity_source_priority('source') }} as source_priority,
        row_number() over (
            partition by customer_id, attribute_name
            order by {{ identity_source_priority('source') }}, seen_at desc, record_key asc, attribute_value asc
        ) as survivorship_rank
    from candidates
),

final as (
    select
        {{ dbt.concat(['customer_id', "':'", 'attribute_name']) }} as customer_attribute_id,
        customer_id,
        attribute_name,
        attribute_value,
        source as attribute_source,
        record_key,
        seen_at
    from ranked
    where survivorship_rank = 1
)

select * from final
