{#- The membership run log (state_segment_membership_runs) as a public table. -#}
{{ select_contract_columns(ref('state_segment_membership_runs')) }}
