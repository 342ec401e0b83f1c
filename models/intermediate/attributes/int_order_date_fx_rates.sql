{#- The fx rate of every (currency, order date) that clean orders use: a small table, so that
    the readers of int_orders_converted join millions of orders to a few thousand rates instead
    of looking the rate up by date range per order. -#}
with

orders as (
    select * from {{ ref('stg_commerce__orders') }}
),

fx_rates as (
    select * from {{ ref('stg_finance__fx_rates') }}
),

currency_dates as (
    select
        coalesce(currency, {{ customer_segments.sql_string(var("reporting_currency")) }}) as currency,
        order_date
    from orders
    group by
        coalesce(currency, {{ customer_segments.sql_string(var("reporting_currency")) }}),
        order_date
),

-- each rate is valid from its rate_date up to (not including) the next rate_date of its currency
rate_validity as (
    select
        currency,
        rate_date,
        lead(rate_date) over (partition by currency order by rate_date) as next_rate_date,
        rate_to_reporting
    from fx_rates
),

final as (
    select
        currency_dates.currency,
        currency_dates.order_date,
        -- the rate as stg_finance__fx_rates types it (int_orders_converted rounds its copy)
        case
            when currency_dates.currency = {{ customer_segments.sql_string(var("reporting_currency")) }} then 1.0
            else rate_validity.rate_to_reporting
        end as fx_rate_to_reporting
    from currency_dates
    left join rate_validity
        on
            currency_dates.currency = rate_validity.currency
            and currency_dates.order_date >= rate_validity.rate_date
            and (rate_validity.next_rate_date is null or currency_dates.order_date < rate_validity.next_rate_date)
)

select * from final
