with

rfm_scored as (
    select * from {{ ref('int_customer_rfm_scored') }}
),

final as (
    select
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(as_of_date as date) as as_of_date,
        cast(last_purchase_date as date) as last_purchase_date,
        cast(recency_days as integer) as recency_days,
        cast(frequency_orders as integer) as frequency_orders,
        cast(frequency_days as integer) as frequency_days,
        cast(monetary_net_revenue as decimal(18, 2)) as monetary_net_revenue,
        cast(r_score as integer) as r_score,
        cast(f_score as integer) as f_score,
        cast(m_score as integer) as m_score,
        cast(rfm_cell as {{ dbt.type_string() }}) as rfm_cell,
        cast(rfm_segment as {{ dbt.type_string() }}) as rfm_segment
    from rfm_scored
)

select * from final
