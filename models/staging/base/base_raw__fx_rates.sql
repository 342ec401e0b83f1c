{{ validate_raw_source('fx_rates', key=['rate_date', 'currency']) }}
