{#- customer_attributes plus the day counts segment rules need, so that rules stay plain,
    cross-database boolean expressions (no date arithmetic in the catalog). -#}
with

attributes as (
    select * from {{ ref('int_customer_attributes_combined') }}
),

final as (
    select
        attributes.*,
        {{ dbt.datediff('cast(attributes.last_order_at as date)', 'attributes.as_of_date', 'day') }}
            as days_since_last_order,
        {{ dbt.datediff('cast(attributes.last_cart_abandoned_at as date)', 'attributes.as_of_date', 'day') }}
            as days_since_cart_abandoned,
        {{ dbt.datediff('cast(attributes.last_contacted_at as date)', 'attributes.as_of_date', 'day') }}
            as days_since_last_contacted
    from attributes
)

select * from final
