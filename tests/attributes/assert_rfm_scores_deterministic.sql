-- Property: the published scores are exactly the documented function of the published values
-- (1 + floor(5 x (rank - 1) / n), rank() over the scored customers), so a re-run on the same data
-- cannot move a score, and the segment is the seed's segment of (r_score, f_score).
with

rfm as (
    select * from {{ ref('customer_rfm') }}
),

segment_map as (
    select * from {{ ref('rfm_segment_map') }}
),

scored as (
    select
        customer_id,
        {{ attr_quantile_score('recency_days desc') }} as r_score,
        {{ attr_quantile_score('frequency_orders asc') }} as f_score,
        {{ attr_quantile_score('monetary_net_revenue asc') }} as m_score
    from rfm
    where recency_days is not null
),

final as (
    select
        rfm.customer_id,
        rfm.r_score,
        scored.r_score as expected_r_score,
        rfm.f_score,
        scored.f_score as expected_f_score,
        rfm.m_score,
        scored.m_score as expected_m_score,
        rfm.rfm_segment,
        coalesce(segment_map.rfm_segment, 'No Purchases') as expected_rfm_segment
    from rfm
    left join scored
        on rfm.customer_id = scored.customer_id
    left join segment_map
        on
            scored.r_score = segment_map.r_score
            and scored.f_score = segment_map.f_score
    where
        coalesce(rfm.r_score, -1) != coalesce(scored.r_score, -1)
        or coalesce(rfm.f_score, -1) != coalesce(scored.f_score, -1)
        or coalesce(rfm.m_score, -1) != coalesce(scored.m_score, -1)
        or rfm.rfm_segment != coalesce(segment_map.rfm_segment, 'No Purchases')
)

select * from final
