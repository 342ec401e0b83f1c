{{ validate_raw_source('stores', key=['store_id']) }}
