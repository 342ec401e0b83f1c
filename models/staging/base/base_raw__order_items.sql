{{ validate_raw_source('order_items', key=['order_id', 'line_number']) }}
