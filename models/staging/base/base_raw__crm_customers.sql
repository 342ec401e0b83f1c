{{ validate_raw_source('crm_customers', key=['crm_id'], version_column='updated_at', event_time_column='signup_at') }}
