-- Property: equal values get equal scores, and a more recent (smaller recency_days), more frequent
-- or larger (monetary) buyer never gets a lower R, F or M score. Checked per distinct value against
-- the next worse value (set-based, no pairwise join). Returns one row per violation.
{%- set measures = [
    ('r_score', 'recency_days', 'desc'),
    ('f_score', 'frequency_orders', 'asc'),
    ('m_score', 'monetary_net_revenue', 'asc'),
] %}

with

rfm as (
    select * from {{ ref('customer_rfm') }}
    where r_score is not null
),

{% for score, measure, worst_first in measures %}
    {{ score }}_by_value as (
        select
            '{{ score }}' as score_name,
            cast({{ measure }} as double) as measure_value,
            min({{ score }}) as min_score,
            max({{ score }}) as max_score
        from rfm
        group by {{ measure }}
    ),

    {{ score }}_ordered as (
        select
            score_name,
            measure_value,
            min_score,
            max_score,
            lag(max_score) over (order by measure_value {{ worst_first }}) as worse_value_max_score
        from {{ score }}_by_value
    ),
{% endfor %}

violations as (
    {%- for score, measure, worst_first in measures %}
        select
            score_name,
            measure_value,
            min_score,
            max_score,
            worse_value_max_score
        from {{ score }}_ordered
        where min_score != max_score or min_score < worse_value_max_score
                {{ 'union all' if not loop.last }}
    {%- endfor %}
),

final as (
    select
        score_name,
        measure_value,
        min_score,
        max_score,
        worse_value_max_score
    from violations
)

select * from final
