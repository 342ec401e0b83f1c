{{ validate_raw_source('orders', key=['order_id'], version_column='updated_at', event_time_column='ordered_at') }}
