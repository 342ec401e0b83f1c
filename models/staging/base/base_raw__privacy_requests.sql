{{ validate_raw_source('privacy_requests', key=['request_id'], event_time_column='requested_at') }}
