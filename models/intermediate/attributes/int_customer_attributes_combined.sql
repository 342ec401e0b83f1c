with

customers as (
    select * from {{ ref('int_customers_golden') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

rfm as (
    select * from {{ ref('int_customer_rfm_scored') }}
),

demographics as (
    select * from {{ ref('int_customer_demographics_aggregated') }}
),

geography as (
    select * from {{ ref('int_customer_geography_aggregated') }}
),

orders as (
    select * from {{ ref('int_customer_orders_aggregated') }}
),

products as (
    select * from {{ ref('int_customer_products_aggregated') }}
),

web as (
    select * from {{ ref('int_customer_web_aggregated') }}
),

value as (
    select * from {{ ref('int_customer_value_aggregated') }}
),

feedback as (
    select * from {{ ref('int_customer_feedback_aggregated') }}
),

psychographics as (
    select * from {{ ref('int_customer_psychographics_aggregated') }}
),

engagement as (
    select * from {{ ref('int_customer_engagement_aggregated') }}
),

lifecycle as (
    select * from {{ ref('int_customer_lifecycle_aggregated') }}
),

final as (
    select
        cast(customers.customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(as_of.as_of_date as date) as as_of_date,
        cast(customers.email as {{ dbt.type_string() }}) as email,
        cast(customers.phone as {{ dbt.type_string() }}) as phone,
        cast(rfm.recency_days as integer) as recency_days,
        cast(rfm.frequency_orders as integer) as frequency_orders,
        cast(rfm.frequency_days as integer) as frequency_days,
        cast(rfm.monetary_net_revenue as decimal(18, 2)) as monetary_net_revenue,
        cast(rfm.r_score as integer) as r_score,
        cast(rfm.f_score as integer) as f_score,
        cast(rfm.m_score as integer) as m_score,
        cast(rfm.rfm_cell as {{ dbt.type_string() }}) as rfm_cell,
        cast(rfm.rfm_segment as {{ dbt.type_string() }}) as rfm_segment,
        cast(demographics.age as integer) as age,
        cast(demographics.age_band as {{ dbt.type_string() }}) as age_band,
        cast(demographics.generation as {{ dbt.type_string() }}) as generation,
        cast(demographics.gender as {{ dbt.type_string() }}) as gender,
        cast(demographics.marital_status as {{ dbt.type_string() }}) as marital_status,
        cast(demographics.life_stage as {{ dbt.type_string() }}) as life_stage,
        cast(demographics.has_children as boolean) as has_children,
        cast(demographics.children_count as integer) as children_count,
        cast(demographics.education as {{ dbt.type_string() }}) as education,
        cast(demographics.occupation_group as {{ dbt.type_string() }}) as occupation_group,
        cast(demographics.annual_income_reporting as decimal(18, 2)) as annual_income_reporting,
        cast(demographics.income_band as {{ dbt.type_string() }}) as income_band,
        cast(geography.country_code as {{ dbt.type_string() }}) as country_code,
        cast(geography.region as {{ dbt.type_string() }}) as region,
        cast(geography.city as {{ dbt.type_string() }}) as city,
        cast(geography.urbanicity as {{ dbt.type_string() }}) as urbanicity,
        cast(geography.nearest_store_id as {{ dbt.type_string() }}) as nearest_store_id,
        cast(geography.nearest_store_distance_km as double) as nearest_store_distance_km,
        cast(geography.is_within_store_radius as boolean) as is_within_store_radius,
        cast(coalesce(orders.orders_count, 0) as integer) as orders_count,
        cast(orders.first_order_at as timestamp) as first_order_at,
        cast(orders.last_order_at as timestamp) as last_order_at,
        cast(orders.average_order_value as decimal(18, 2)) as average_order_value,
        cast(orders.avg_days_between_orders as double) as avg_days_between_orders,
        cast(coalesce(orders.purchase_time_profile, 'unknown') as {{ dbt.type_string() }}) as purchase_time_profile,
        cast(orders.preferred_channel as {{ dbt.type_string() }}) as preferred_channel,
        cast(orders.preferred_payment_method as {{ dbt.type_string() }}) as preferred_payment_method,
        cast(products.top_purchased_category as {{ dbt.type_string() }}) as top_purchased_category,
        cast(web.most_viewed_category as {{ dbt.type_string() }}) as most_viewed_category,
        cast(web.most_viewed_product_id as {{ dbt.type_string() }}) as most_viewed_product_id,
        cast(coalesce(web.cart_abandonments_count, 0) as integer) as cart_abandonments_count,
        cast(web.cart_abandonment_rate as double) as cart_abandonment_rate,
        cast(web.last_cart_abandoned_at as timestamp) as last_cart_abandoned_at,
        cast(lifecycle.is_browsed_not_bought as boolean) as is_browsed_not_bought,
        cast(orders.discount_sensitivity as double) as discount_sensitivity,
        cast(orders.return_rate as double) as return_rate,
        cast(coalesce(web.sessions_last_30d, 0) as integer) as sessions_last_30d,
        cast(coalesce(web.sessions_last_90d, 0) as integer) as sessions_last_90d,
        cast(coalesce(web.primary_device_type, 'unknown') as {{ dbt.type_string() }}) as primary_device_type,
        cast(coalesce(web.os_family, 'unknown') as {{ dbt.type_string() }}) as os_family,
        cast(coalesce(web.is_mac_user, false) as boolean) as is_mac_user,
        cast(coalesce(web.is_app_user, false) as boolean) as is_app_user,
        cast(coalesce(web.primary_platform, 'unknown') as {{ dbt.type_string() }}) as primary_platform,
        cast(web.primary_browser as {{ dbt.type_string() }}) as primary_browser,
        cast(
            coalesce(customers.preferred_language, web.device_locale) as {{ dbt.type_string() }}
        ) as preferred_language,
        cast(value.lifetime_net_revenue as decimal(18, 2)) as lifetime_net_revenue,
        cast(value.lifetime_gross_margin as decimal(18, 2)) as lifetime_gross_margin,
        cast(value.value_tier as {{ dbt.type_string() }}) as value_tier,
        cast(value.predicted_12m_value as decimal(18, 2)) as predicted_12m_value,
        cast(feedback.latest_nps_score as integer) as latest_nps_score,
        cast(coalesce(feedback.nps_category, 'unknown') as {{ dbt.type_string() }}) as nps_category,
        cast(feedback.avg_csat as double) as avg_csat,
        cast(coalesce(feedback.tickets_count, 0) as integer) as tickets_count,
        {%- for category in var('ticket_categories') %}
            cast(coalesce(feedback.{{ category }}_tickets_count, 0) as integer) as {{ category }}_tickets_count,
        {%- endfor %}
        cast(feedback.main_pain_point as {{ dbt.type_string() }}) as main_pain_point,
        cast(psychographics.interests as {{ dbt.type_string() }}) as interests,
        cast(psychographics.values as {{ dbt.type_string() }}) as values,
        cast(psychographics.lifestyle as {{ dbt.type_string() }}) as lifestyle,
        cast(psychographics.eco_friendly_share as double) as eco_friendly_share,
        cast(coalesce(psychographics.is_eco_conscious, false) as boolean) as is_eco_conscious,
        cast(customers.customer_type as {{ dbt.type_string() }}) as customer_type,
        cast(customers.company_name as {{ dbt.type_string() }}) as company_name,
        cast(customers.industry as {{ dbt.type_string() }}) as industry,
        cast(
            {{ attr_band('customers.employee_count', var('attr_employee_band_edges')) }} as {{ dbt.type_string() }}
        ) as employee_band,
        cast(products.b2b_products_count as integer) as b2b_products_count,
        cast(engagement.touches_last_30d as integer) as touches_last_30d,
        cast(engagement.open_rate as double) as open_rate,
        cast(engagement.click_rate as double) as click_rate,
        cast(engagement.contacts_since_last_purchase as integer) as contacts_since_last_purchase,
        cast(engagement.is_contact_fatigued as boolean) as is_contact_fatigued,
        cast(engagement.is_unsubscribed as boolean) as is_unsubscribed,
        cast(engagement.has_marketing_consent as boolean) as has_marketing_consent,
        cast(engagement.last_contacted_at as timestamp) as last_contacted_at,
        cast(lifecycle.lifecycle_stage as {{ dbt.type_string() }}) as lifecycle_stage
    from customers
    cross join as_of
    left join rfm
        on customers.customer_id = rfm.customer_id
    left join demographics
        on customers.customer_id = demographics.customer_id
    left join geography
        on customers.customer_id = geography.customer_id
    left join orders
        on customers.customer_id = orders.customer_id
    left join products
        on customers.customer_id = products.customer_id
    left join web
        on customers.customer_id = web.customer_id
    left join value
        on customers.customer_id = value.customer_id
    left join feedback
        on customers.customer_id = feedback.customer_id
    left join psychographics
        on customers.customer_id = psychographics.customer_id
    left join engagement
        on customers.customer_id = engagement.customer_id
    left join lifecycle
        on customers.customer_id = lifecycle.customer_id
)

select * from final
