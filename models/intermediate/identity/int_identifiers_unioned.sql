{{ config(**changed_rows_config('records')) }}
{#- Every identifier of every record in staging, one row per (source, record_key,
    identifier_type, identifier_value): the edges of the identity graph before any guard.
    On DuckDB incremental: a run derives again only the records base_raw ranked after the
    model's latest computed_at (identity_changed_records). -#}
{{ identity_records_depends_on() }}
{%- set since = latest_written_at('computed_at') %}
with

crm_customers as (
    select * from {{ ref('stg_crm__customers') }}
    {{ identity_records_scope('crm_customers', since) }}
),

orders as (
    select * from {{ ref('stg_commerce__orders') }}
    where not is_anonymous
    {{ identity_records_scope('orders', since, 'and') }}
),

web_events as (
    select * from {{ ref('stg_web__events') }}
    {{ identity_records_scope('web_events', since) }}
),

survey_responses as (
    select * from {{ ref('stg_feedback__survey_responses') }}
    {{ identity_records_scope('survey_responses', since) }}
),

support_tickets as (
    select * from {{ ref('stg_feedback__support_tickets') }}
    {{ identity_records_scope('support_tickets', since) }}
),

marketing_touches as (
    select * from {{ ref('stg_marketing__touches') }}
    {{ identity_records_scope('marketing_touches', since) }}
),

leads as (
    select * from {{ ref('stg_marketing__leads') }}
    {{ identity_records_scope('leads', since) }}
),

privacy_requests as (
    select * from {{ ref('stg_privacy__requests') }}
    {{ identity_records_scope('privacy_requests', since) }}
),

identifier_rows as (
    {% for source_name, spec in identity_sources().items() -%}
        {{ identity_identifier_rows(source_name, source_name, spec.record_key, spec.identifiers, spec.seen_at) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        source,
        record_key,
        identifier_type,
        identifier_value,
        count(*) as evidence_count,
        min(seen_at) as first_seen_at,
        max(seen_at) as last_seen_at,
        {{ raw_run_time() }} as computed_at
    from identifier_rows
    group by
        source,
        record_key,
        identifier_type,
        identifier_value
)

select * from final
