{#- Current memberships: one row per customer and segment whose rule is true for the customer
    at as_of_date, generated from the catalog. -#}
{%- set attributes_relation = ref('int_segment_attributes_enriched') -%}
{%- set segments = customer_segments.segment_catalog(customer_segments.segment_available_columns(attributes_relation)) %}
-- depends_on: {{ ref('int_segment_catalog') }}

with

attributes as (
    select * from {{ attributes_relation }}
),

memberships as (
    {%- for segment in segments %}
    select
        customer_id,
        {{ customer_segments.sql_string(segment.key) }} as segment_key,
        {{ customer_segments.sql_string(segment.family) }} as family,
        as_of_date,
        {{ customer_segments.segment_reason_json(segment.columns) }} as reason
    from attributes
    where coalesce(({{ customer_segments.portable_sql(segment.rule) }}), false)
    {{ 'union all' if not loop.last }}
    {%- else %}
    select
        customer_id,
        'none' as segment_key,
        'none' as family,
        as_of_date,
        'none' as reason
    from attributes
    where 1 = 0
    {%- endfor %}
),

final as (
    select
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(segment_key as {{ dbt.type_string() }}) as segment_key,
        cast(family as {{ dbt.type_string() }}) as family,
        cast(as_of_date as date) as as_of_date,
        cast(reason as {{ dbt.type_string() }}) as reason
    from memberships
)

select * from final
