{#- The membership run log (state_segment_membership_runs) as a public view: a table would copy
    every run on every build. -#}
{{ config(materialized='view') }}
{{ select_contract_columns(ref('state_segment_membership_runs')) }}
