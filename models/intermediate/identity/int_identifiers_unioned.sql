{#- Every identifier of every record in staging, one row per (source, record_key,
    identifier_type, identifier_value): the edges of the identity graph before any guard. -#}
with

crm_customers as (
    select * from {{ ref('stg_crm__customers') }}
),

orders as (
    select * from {{ ref('stg_commerce__orders') }}
    where not is_anonymous
),

web_events as (
    select * from {{ ref('stg_web__events') }}
),

survey_responses as (
    select * from {{ ref('stg_feedback__survey_responses') }}
),

support_tickets as (
    select * from {{ ref('stg_feedback__support_tickets') }}
),

marketing_touches as (
    select * from {{ ref('stg_marketing__touches') }}
),

leads as (
    select * from {{ ref('stg_marketing__leads') }}
),

privacy_requests as (
    select * from {{ ref('stg_privacy__requests') }}
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
        max(seen_at) as last_seen_at
    from identifier_rows
    group by
        source,
        record_key,
        identifier_type,
        identifier_value
)

select * from final
