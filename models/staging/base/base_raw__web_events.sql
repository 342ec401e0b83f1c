{{ validate_raw_source('web_events', key=['event_id'], event_time_column='occurred_at') }}
