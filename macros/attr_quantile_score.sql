{% macro attr_quantile_score(order_by, buckets=5) -%}
    {#- Tie-safe quantile score 1..buckets over the rows of the query:
        1 + floor(buckets * (rank() - 1) / count(*)). rank() gives equal values the same rank, so
        equal values always get equal scores and a larger order_by never gets a lower score. -#}
    cast(
        1 + floor({{ buckets }} * (rank() over (order by {{ order_by }}) - 1) / (count(*) over () * 1.0))
        as integer
    )
{%- endmacro %}
