{{ validate_raw_source('leads', key=['lead_id'], event_time_column='created_at') }}
