{#- Membership spells for BI: a view of int_segment_spells, which keeps them (incrementally on
    DuckDB). -#}
{{ config(materialized='view') }}
{{ select_contract_columns(ref('int_segment_spells')) }}
