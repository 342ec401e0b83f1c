{#- Current segment memberships as a public table (int_segment_memberships). -#}
{{ select_contract_columns(ref('int_segment_memberships')) }}
