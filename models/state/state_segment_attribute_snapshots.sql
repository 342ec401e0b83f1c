{#- Run log of the customer base: one row per run (as_of_date) and customer with the value
    metrics and, as text, every column a catalog rule reads (attr__<column>). It lets
    segment_events name the columns that changed, and segment_summary compute shares and
    values per run. Same idempotent replace-the-date logic as state_segment_membership_runs;
    erased people are purged by purge_erased_state. -#}
{{ config(**customer_segments.segment_run_log_config()) }}
-- depends_on: {{ ref('int_segment_catalog') }}
{%- set attributes_relation = ref('int_segment_attributes_enriched') -%}
{%- set available_columns = customer_segments.segment_available_columns(attributes_relation) -%}
{%- set segments = customer_segments.segment_catalog(available_columns) -%}
{%- set pii = var('segment_pii_columns', {}) %}

with

attributes as (
    select * from {{ attributes_relation }}
),

final as (
    select
        cast(as_of_date as date) as as_of_date,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(lifetime_net_revenue as {{ dbt.type_numeric() }}) as lifetime_net_revenue,
        cast(monetary_net_revenue as {{ dbt.type_numeric() }}) as monetary_net_revenue,
        cast(predicted_12m_value as {{ dbt.type_numeric() }}) as predicted_12m_value,
        cast(latest_nps_score as {{ dbt.type_numeric() }}) as latest_nps_score,
        {%- for column in customer_segments.segment_reason_columns(segments) %}
            cast(
                {{ customer_segments.mask_pii(column, pii[column]) if column in pii else column }}
                as {{ dbt.type_string() }}
            ) as attr__{{ column }},
        {%- endfor %}
        cast(customer_type as {{ dbt.type_string() }}) as customer_type
    from attributes
)

select * from final
