{{ validate_raw_source('support_tickets', key=['ticket_id'], event_time_column='created_at') }}
