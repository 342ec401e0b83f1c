{#- A view: writing 10M converted orders to a table cost about as much (11.9-15.8 s at 1M
    customers, mostly string compression) as its three readers (customer_rfm, the order and
    product families) spend joining the identity map and the fx rates themselves. -#}
{{ config(materialized='view') }}
with

orders as (
    select * from {{ ref('stg_commerce__orders') }}
),

fx_rates as (
    select * from {{ ref('int_order_date_fx_rates') }}
),

order_records as (
    select * from {{ ref('int_records_resolved') }}
    where source = 'orders'
),

orders_in_currency as (
    select
        order_id,
        source_system,
        ordered_at,
        order_date,
        status,
        coalesce(currency, {{ customer_segments.sql_string(var("reporting_currency")) }}) as currency,
        order_total,
        discount_amount,
        payment_method
    from orders
),

final as (
    select
        orders_in_currency.order_id,
        order_records.customer_id,
        orders_in_currency.source_system,
        orders_in_currency.ordered_at,
        orders_in_currency.order_date,
        orders_in_currency.status,
        orders_in_currency.payment_method,
        orders_in_currency.currency,
        -- through its shortest text: a double cast to a decimal rounds its binary value on DuckDB
        -- (0.000040705 -> 0.00004070) and its decimal text on Spark (-> 0.00004071)
        cast(cast(fx_rates.fx_rate_to_reporting as {{ dbt.type_string() }}) as decimal(18, 8)) as fx_rate_to_reporting,
        cast(orders_in_currency.order_total * fx_rates.fx_rate_to_reporting as decimal(18, 4))
            as order_total_reporting,
        cast(orders_in_currency.discount_amount * fx_rates.fx_rate_to_reporting as decimal(18, 4))
            as discount_amount_reporting
    from orders_in_currency
    left join fx_rates
        on
            orders_in_currency.currency = fx_rates.currency
            and orders_in_currency.order_date = fx_rates.order_date
    -- anonymous sales (no customer) are left out: every reader aggregates per customer
    inner join order_records
        on orders_in_currency.order_id = order_records.record_key
)

select * from final
