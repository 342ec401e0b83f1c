{#- How each segment differs from the whole customer base (current run): for numeric
    attributes the segment mean vs the base mean (index = 100 * segment / base), for flags the
    segment share vs the base share. Compile with `dbt compile -s segment_profile`. -#}
{%- set numeric_columns = ['age', 'recency_days', 'frequency_orders', 'lifetime_net_revenue', 'average_order_value',
                           'predicted_12m_value', 'discount_sensitivity', 'return_rate', 'latest_nps_score',
                           'sessions_last_90d', 'cart_abandonments_count'] -%}
{%- set flag_columns = ['has_marketing_consent', 'is_app_user', 'is_mac_user', 'is_eco_conscious',
                        'is_within_store_radius', 'is_contact_fatigued'] %}

with

memberships as (
    select * from {{ ref('segment_memberships') }}
),

attributes as (
    select * from {{ ref('int_segment_attributes_enriched') }}
),

catalog as (
    select * from {{ ref('segment_catalog') }}
),

base as (
    select
        {%- for column in numeric_columns %}
            avg(cast({{ column }} as double)) as base_{{ column }},
        {%- endfor %}
        {%- for column in flag_columns %}
            avg(case when {{ column }} then 1.0 else 0.0 end) as base_{{ column }},
        {%- endfor %}
        count(*) as base_customers
    from attributes
),

segments as (
    select
        memberships.segment_key,
        {%- for column in numeric_columns %}
            avg(cast(attributes.{{ column }} as double)) as segment_{{ column }},
        {%- endfor %}
        {%- for column in flag_columns %}
            avg(case when attributes.{{ column }} then 1.0 else 0.0 end) as segment_{{ column }},
        {%- endfor %}
        count(*) as members
    from memberships
    inner join attributes
        on memberships.customer_id = attributes.customer_id
    group by memberships.segment_key
),

final as (
    select
        segments.segment_key,
        catalog.segment_name,
        catalog.family,
        segments.members,
        cast(segments.members as double) / base.base_customers as share_of_base,
        {% for column in numeric_columns + flag_columns -%}
            segments.segment_{{ column }},
            base.base_{{ column }},
            round(100 * segments.segment_{{ column }} / nullif(base.base_{{ column }}, 0), 0)
                as index_{{ column }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from segments
    cross join base
    left join catalog
        on segments.segment_key = catalog.segment_key
)

select * from final
order by family, segment_key
