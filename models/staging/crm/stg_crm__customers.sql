with

customers as (
    select * from {{ ref('base_raw__crm_customers') }}
    where dq_status = 'clean'
),

final as (
    select
        crm_id,
        updated_at,
        email,
        phone,
        first_name,
        last_name,
        nullif(trim(concat(coalesce(first_name, ''), ' ', coalesce(last_name, ''))), '') as full_name,
        birth_date,
        {{ map_free_text('gender', 'gender_values') }} as gender,
        {{ map_free_text('marital_status', 'marital_status_values') }} as marital_status,
        children_count,
        education,
        occupation,
        annual_income,
        income_currency,
        city,
        region,
        postal_code,
        country_code,
        latitude,
        longitude,
        urbanicity,
        {{ normalize_language_tag('preferred_language') }} as preferred_language,
        loyalty_card_id,
        signup_at,
        coalesce(customer_type, 'person') as customer_type,
        company_name,
        industry,
        employee_count,
        marketing_opt_in as is_marketing_opt_in
    from customers
)

select * from final
