{% macro landing_sources() -%}
    {#- Every source of the landing-zone contract and the staging model that holds its clean rows. -#}
    {{ return({
        'crm_customers': 'stg_crm__customers',
        'orders': 'stg_commerce__orders',
        'order_items': 'stg_commerce__order_items',
        'products': 'stg_commerce__products',
        'stores': 'stg_commerce__stores',
        'web_events': 'stg_web__events',
        'survey_responses': 'stg_feedback__survey_responses',
        'support_tickets': 'stg_feedback__support_tickets',
        'marketing_touches': 'stg_marketing__touches',
        'leads': 'stg_marketing__leads',
        'privacy_requests': 'stg_privacy__requests',
        'fx_rates': 'stg_finance__fx_rates',
    }) }}
{%- endmacro %}
