{{ config(**changed_rows_config('orders')) }}
{#- Every order of a known customer in the reporting currency, kept so that the order, product
    and RFM families read converted, customer-keyed orders. On DuckDB incremental: a run
    converts again only the orders order_state_changed lists (new or changed rows, a new
    customer, a late fx rate) and the post-hook deletes their earlier rows. -#}
-- depends_on: {{ ref('base_raw__orders') }}
{%- set since = latest_written_at('computed_at') %}
with

orders as (
    select * from {{ ref('stg_commerce__orders') }}
    where {{ identity_when_scoped(since, 'order_id in (' ~ order_state_changed(since) ~ ')') }}
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
        {{ order_fx_rate('fx_rates.fx_rate_to_reporting') }} as fx_rate_to_reporting,
        cast(orders_in_currency.order_total * fx_rates.fx_rate_to_reporting as decimal(18, 4))
            as order_total_reporting,
        cast(orders_in_currency.discount_amount * fx_rates.fx_rate_to_reporting as decimal(18, 4))
            as discount_amount_reporting,
        {{ raw_run_time() }} as computed_at
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
