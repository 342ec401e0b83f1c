{{ validate_raw_source('marketing_touches', key=['touch_id'], event_time_column='sent_at') }}
