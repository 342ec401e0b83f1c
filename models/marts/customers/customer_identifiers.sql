{#- Every identifier on every resolved record with its customer, for BI: a view of
    int_identifiers_resolved, which keeps the rows (incrementally on DuckDB). With the var
    mask_pii on, e-mails and phones are masked and the key (which holds the value) hashed. -#}
{{ config(materialized='view') }}
with

identifiers as (
    select * from {{ ref('int_identifiers_resolved') }}
),

final as (
    select
        {% if is_pii_masked() -%}
            {{ sha256_hex('customer_identifier_id') }} as customer_identifier_id,
        {%- else -%}
            customer_identifier_id,
        {%- endif %}
        customer_id,
        identifier_type,
        case
            when identifier_type = 'email'
                then {{ mask_pii('identifier_value', 'email') }}
            when identifier_type = 'phone'
                then {{ mask_pii('identifier_value', 'phone') }}
            else identifier_value
        end as identifier_value,
        source,
        record_key,
        is_linking,
        is_blocklisted,
        is_over_record_limit,
        is_overshared,
        evidence_count,
        first_seen_at,
        last_seen_at,
        computed_at
    from identifiers
)

select * from final
