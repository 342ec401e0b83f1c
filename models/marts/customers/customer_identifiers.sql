{#- Every identifier on every resolved record with its customer, for BI: a view of
    int_identifiers_resolved, which keeps the rows (incrementally on DuckDB). -#}
{{ config(materialized='view') }}
{{ select_contract_columns(ref('int_identifiers_resolved')) }}
