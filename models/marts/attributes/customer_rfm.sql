{#- RFM values, scores, cell and named segment of every customer as a public table
    (int_customer_rfm_scored, the RFM step). -#}
{{ select_contract_columns(ref('int_customer_rfm_scored')) }}
