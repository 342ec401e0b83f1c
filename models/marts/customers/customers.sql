{#- The golden record as a public table: int_customers_golden with personal data hashed
    (email, phone) or nulled (names) when var mask_pii is on. -#}
{{ select_contract_columns(ref('int_customers_golden'), {
    'email': 'email', 'phone': 'phone', 'first_name': 'name', 'last_name': 'name', 'full_name': 'name'
}) }}
