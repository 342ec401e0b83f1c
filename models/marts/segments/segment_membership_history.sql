{#- Membership spells for BI: a view of int_segment_spells, which keeps them (incrementally on
    DuckDB). -#}
{{ config(materialized='view') }}

with

spells as (
    select * from {{ ref('int_segment_spells') }}
),

final as (
    select
        customer_id,
        segment_key,
        family,
        valid_from,
        valid_to,
        last_member_date,
        runs_count,
        is_current,
        entry_reason
    from spells
)

select * from final
