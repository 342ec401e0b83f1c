with

rates as (
    select * from {{ ref('base_raw__fx_rates') }}
    where dq_status = 'clean'
),

final as (
    select
        dq_record_key as fx_rate_id,
        rate_date,
        currency,
        rate_to_reporting
    from rates
)

select * from final
