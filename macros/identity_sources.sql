{% macro identity_sources() -%}
    {#- The landing sources whose records enter the identity graph: the column that keys a record,
        its identifier columns by identifier type, and the time the record was seen. Read by
        int_identifiers_unioned (the graph's edges) and quarantined_rows (erased people's rows). -#}
    {{ return({
        'crm_customers': {
            'record_key': 'crm_id',
            'identifiers': {'crm_id': 'crm_id', 'email': 'email', 'phone': 'phone', 'loyalty_card_id': 'loyalty_card_id'},
            'seen_at': 'coalesce(signup_at, updated_at)',
        },
        'orders': {
            'record_key': 'order_id',
            'identifiers': {'crm_id': 'crm_id', 'email': 'email', 'phone': 'phone', 'loyalty_card_id': 'loyalty_card_id'},
            'seen_at': 'ordered_at',
        },
        'web_events': {
            'record_key': 'anonymous_id',
            'identifiers': {'anonymous_id': 'anonymous_id', 'crm_id': 'user_id', 'email': 'email'},
            'seen_at': 'occurred_at',
        },
        'survey_responses': {
            'record_key': 'response_id',
            'identifiers': {'crm_id': 'crm_id', 'email': 'email'},
            'seen_at': 'submitted_at',
        },
        'support_tickets': {
            'record_key': 'ticket_id',
            'identifiers': {'crm_id': 'crm_id', 'email': 'email'},
            'seen_at': 'created_at',
        },
        'marketing_touches': {
            'record_key': 'touch_id',
            'identifiers': {'crm_id': 'crm_id', 'email': 'email', 'phone': 'phone'},
            'seen_at': 'sent_at',
        },
        'leads': {
            'record_key': 'lead_id',
            'identifiers': {'lead_id': 'lead_id', 'email': 'email', 'phone': 'phone'},
            'seen_at': 'created_at',
        },
        'privacy_requests': {
            'record_key': 'request_id',
            'identifiers': {'crm_id': 'crm_id', 'email': 'email'},
            'seen_at': 'requested_at',
        },
    }) }}
{%- endmacro %}
