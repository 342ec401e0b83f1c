{#- The catalog of segments/catalog.yml as a table. Building it validates the catalog (the
    declared columns of each rule, `reads`, must be columns of int_segment_attributes_enriched)
    and compiles every rule with `limit 0` over a projection holding only its declared columns,
    so the database rejects a rule that reads anything else. -#}
{%- set attributes_relation = ref('int_segment_attributes_enriched') -%}
{%- set segments = customer_segments.segment_catalog(customer_segments.segment_available_columns(attributes_relation)) -%}
{%- if execute and customer_segments.segment_available_columns(attributes_relation) -%}
    {%- do customer_segments.segment_probe_rules(segments, attributes_relation) -%}
{%- endif %}

with

attributes as (
    select * from {{ attributes_relation }}
),

catalog as (
    {%- for segment in segments %}
    select
        {{ customer_segments.sql_string(segment.key) }} as segment_key,
        {{ customer_segments.sql_string(segment.name) }} as segment_name,
        {{ customer_segments.sql_string(segment.description) }} as segment_description,
        {{ customer_segments.sql_string(segment.family) }} as family,
        {{ customer_segments.sql_string(segment.family_type) }} as family_type,
        {{ customer_segments.sql_string(segment.owner) }} as owner,
        {{ segment.priority }} as priority,
        {{ customer_segments.sql_string(segment.rule) }} as rule_sql,
        {{ customer_segments.sql_string(segment.columns | join(',')) }} as reason_columns,
        {{ 'true' if segment.activatable else 'false' }} as is_activatable
    {{ 'union all' if not loop.last }}
    {%- else %}
    {#- parse time, or an empty catalog: no rows, same columns #}
    select
        'none' as segment_key,
        'none' as segment_name,
        'none' as segment_description,
        'none' as family,
        'none' as family_type,
        'none' as owner,
        0 as priority,
        'none' as rule_sql,
        'none' as reason_columns,
        false as is_activatable
    from attributes
    where 1 = 0
    {%- endfor %}
),

final as (
    select
        cast(segment_key as {{ dbt.type_string() }}) as segment_key,
        cast(segment_name as {{ dbt.type_string() }}) as segment_name,
        cast(segment_description as {{ dbt.type_string() }}) as segment_description,
        cast(family as {{ dbt.type_string() }}) as family,
        cast(family_type as {{ dbt.type_string() }}) as family_type,
        cast(owner as {{ dbt.type_string() }}) as owner,
        cast(priority as {{ dbt.type_int() }}) as priority,
        cast(rule_sql as {{ dbt.type_string() }}) as rule_sql,
        cast(reason_columns as {{ dbt.type_string() }}) as reason_columns,
        cast(is_activatable as {{ dbt.type_boolean() }}) as is_activatable
    from catalog
)

select * from final
