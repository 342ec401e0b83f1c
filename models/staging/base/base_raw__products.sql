{{ validate_raw_source('products', key=['product_id']) }}
