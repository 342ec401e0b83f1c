{#- The segment catalog as a public table (int_segment_catalog, which validates the catalog). -#}
{{ select_contract_columns(ref('int_segment_catalog')) }}
