{#- Every segmentation attribute of every customer as a public table: int_customer_attributes_combined
    with e-mail and phone hashed when var mask_pii is on. -#}
{{ select_contract_columns(ref('int_customer_attributes_combined'), {'email': 'email', 'phone': 'phone'}) }}
