{#- The surviving golden value of each (customer_id, attribute_name): among every non-null
    value of every record of the customer, the first by source priority
    (identity_attribute_source_priority), then the most recent record, then the record key.
    Grouped values travel together: income_currency only from a record with an income,
    coordinates only in pairs. On DuckDB incremental: a run derives again only the customers
    int_customer_changes logged after the model's last run (changed_rows_config). -#}
{{ config(**changed_rows_config('customers')) }}
-- depends_on: {{ ref('int_customer_changes') }}
{%- set since = latest_written_at('computed_at') %}
with

resolved as (
    select * from {{ ref('int_records_resolved') }}
    {%- if since is not none %}
        where customer_id in ({{ identity_changed_customers(since) }})
    {%- endif %}
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

crm_customers_resolved as (
    {{ identity_records_resolved('crm_customers', 'crm_customers', 'crm_id') }}
),

leads_resolved as (
    {{ identity_records_resolved('leads', 'leads', 'lead_id') }}
),

orders_resolved as (
    {{ identity_records_resolved('orders', 'orders', 'order_id') }}
),

marketing_touches_resolved as (
    {{ identity_records_resolved('marketing_touches', 'marketing_touches', 'touch_id') }}
),

survey_responses_resolved as (
    {{ identity_records_resolved('survey_responses', 'survey_responses', 'response_id') }}
),

support_tickets_resolved as (
    {{ identity_records_resolved('support_tickets', 'support_tickets', 'ticket_id') }}
),

web_events_resolved as (
    {{ identity_records_resolved('web_events', 'web_events', 'anonymous_id') }}
),

candidates as (
    {{ identity_attribute_rows('crm_customers_resolved', 'crm_customers', 'crm_id', {
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
    }, 'coalesce(updated_at, signup_at)') }}
    union all
    {{ identity_attribute_rows('leads_resolved', 'leads', 'lead_id', {
        'email': 'email',
        'phone': 'phone',
        'full_name': 'full_name',
        'company_name': 'company_name',
        'industry': 'industry',
        'employee_count': 'employee_count',
        'customer_type': "case when company_name is not null then 'business' else 'person' end",
    }, 'created_at') }}
    union all
    {{ identity_attribute_rows('orders_resolved', 'orders', 'order_id', {
        'email': 'email',
        'phone': 'phone',
        'loyalty_card_id': 'loyalty_card_id',
    }, 'ordered_at') }}
    union all
    {{ identity_attribute_rows('marketing_touches_resolved', 'marketing_touches', 'touch_id', {
        'email': 'email',
        'phone': 'phone',
    }, 'sent_at') }}
    union all
    {{ identity_attribute_rows('survey_responses_resolved', 'survey_responses', 'response_id', {
        'email': 'email',
    }, 'submitted_at') }}
    union all
    {{ identity_attribute_rows('support_tickets_resolved', 'support_tickets', 'ticket_id', {
        'email': 'email',
    }, 'created_at') }}
    union all
    {{ identity_attribute_rows('web_events_resolved', 'web_events', 'anonymous_id', {
        'email': 'email',
    }, 'occurred_at') }}
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
        seen_at,
        {{ raw_run_time() }} as computed_at
    from ranked
    where survivorship_rank = 1
)

select * from final
