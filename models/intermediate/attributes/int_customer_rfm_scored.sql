{#- The RFM step: this table is computed in one statement (int_customer_rfm_aggregated is a
    view), which keeps it close to a single hand-written query. customer_rfm and
    int_customer_attributes_combined read it. -#}

with

rfm as (
    select * from {{ ref('int_customer_rfm_aggregated') }}
),

segment_map as (
    select * from {{ ref('rfm_segment_map') }}
),

-- scores are quantiles among customers with at least one completed purchase up to as_of_date
scored as (
    select
        customer_id,
        {{ attr_quantile_score('recency_days desc') }} as r_score,
        {{ attr_quantile_score('frequency_orders asc') }} as f_score,
        {{ attr_quantile_score('monetary_net_revenue asc') }} as m_score
    from rfm
    where has_completed_purchase
),

scored_rows as (
    select
        rfm.customer_id,
        rfm.as_of_date,
        rfm.last_purchase_date,
        rfm.recency_days,
        rfm.frequency_orders,
        rfm.frequency_days,
        rfm.monetary_net_revenue,
        scored.r_score,
        scored.f_score,
        scored.m_score,
        case
            when scored.r_score is not null
                then {{ dbt.concat([
                    dbt.cast('scored.r_score', dbt.type_string()),
                    dbt.cast('scored.f_score', dbt.type_string()),
                    dbt.cast('scored.m_score', dbt.type_string()),
                ]) }}
        end as rfm_cell,
        case
            when scored.r_score is null then 'No Purchases'
            else segment_map.rfm_segment
        end as rfm_segment
    from rfm
    left join scored
        on rfm.customer_id = scored.customer_id
    left join segment_map
        on
            scored.r_score = segment_map.r_score
            and scored.f_score = segment_map.f_score
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
    from scored_rows
)

select * from final
