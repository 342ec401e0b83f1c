{%- set office_start = var('attr_office_hours')[0] -%}
{%- set office_end = var('attr_office_hours')[1] -%}
{#- weekday purchase time slots: [first hour, end hour) -#}
{%- set weekday_slots = {
    'office_hours': [office_start, office_end],
    'evening': [office_end, var('attr_evening_end_hour')],
} -%}
{#- the listed values of the channel and payment method (validated in staging) -#}
{%- set listed_columns = {
    'source_system': var('order_source_systems'),
    'payment_method': var('payment_methods'),
} -%}
{%- set ordered_at_local = dbt.dateadd('hour', var('attr_purchase_hour_offset'), 'orders.ordered_at') -%}

with

orders as (
    select * from {{ ref('int_orders_converted') }}
),

order_items as (
    select * from {{ ref('stg_commerce__order_items') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

-- orders with a discount on at least one line (in the order's currency)
line_discounted_orders as (
    select distinct order_id
    from order_items
    where discount_amount > 0
),

customer_orders as (
    select
        orders.customer_id,
        orders.ordered_at,
        orders.status,
        orders.source_system,
        orders.payment_method,
        coalesce(orders.order_total_reporting, 0) as order_total_reporting,
        (
            orders.discount_amount_reporting > 0 or line_discounted_orders.order_id is not null
        ) as has_discount,
        orders.order_date >= as_of.last_365d_start_date as is_last_365d,
        -- the local purchase time (ordered_at + attr_purchase_hour_offset hours)
        {{ attr_iso_day_of_week(ordered_at_local) }} as purchase_day_of_week,
        {{ attr_hour_of_day(ordered_at_local) }} as purchase_hour
    from orders
    cross join as_of
    left join line_discounted_orders
        on orders.order_id = line_discounted_orders.order_id
    where
        orders.customer_id is not null
        and orders.ordered_at < as_of.as_of_end_at
),

per_customer as (
    {#- One aggregation for every status, so the order rows are read once. Dates are the
        dates of ordered_at; the gap before the last completed order is from the second latest
        completed order to the latest (two orders on the last day: 0). Each completed order falls
        in one purchase time slot: weekend, office_hours, evening or other. The channel and
        payment method counts are one column per listed value (the vars order_source_systems
        and payment_methods, the only values staging lets through), so the preferred ones are
        picked from this row without grouping orders by value. -#}
    select
        customer_id,
        count(case when status = 'completed' then 1 end) as orders_count,
        count(case when status in ('returned', 'refunded') then 1 end) as returned_orders_count,
        min(case when status = 'completed' then ordered_at end) as first_order_at,
        max(case when status = 'completed' then ordered_at end) as last_order_at,
        cast(min(case when status = 'completed' then ordered_at end) as date) as first_order_date,
        cast(max(case when status = 'completed' then ordered_at end) as date) as last_order_date,
        cast({{ attr_second_largest("case when status = 'completed' then ordered_at end") }} as date)
            as previous_order_date,
        sum(case when status = 'completed' then order_total_reporting else 0 end) as completed_revenue,
        sum(case when status in ('returned', 'refunded') then order_total_reporting else 0 end) as returned_revenue,
        sum(case when status = 'completed' and is_last_365d then order_total_reporting else 0 end)
            as completed_revenue_last_365d,
        sum(case when status in ('returned', 'refunded') and is_last_365d then order_total_reporting else 0 end)
            as returned_revenue_last_365d,
        count(case when status = 'completed' and has_discount then 1 end) as discounted_orders_count,
        {% for slot, hours in weekday_slots.items() -%}
            count(
                case
                    when
                        status = 'completed'
                        and purchase_day_of_week < 6
                        and purchase_hour >= {{ hours[0] }}
                        and purchase_hour < {{ hours[1] }}
                        then 1
                end
            ) as {{ slot }}_orders,
        {% endfor -%}
        {% for column, values in listed_columns.items() -%}
            {{ attr_listed_value_aggregates(
                column, values, 'ordered_at', weight_suffix='orders', condition="status = 'completed'"
            ) }},
        {% endfor -%}
        count(case when status = 'completed' and purchase_day_of_week >= 6 then 1 end) as weekend_orders
    from customer_orders
    group by customer_id
),

final as (
    select
        per_customer.customer_id,
        per_customer.orders_count,
        per_customer.first_order_at,
        per_customer.last_order_at,
        per_customer.first_order_date,
        per_customer.last_order_date,
        {{ dbt.datediff('per_customer.previous_order_date', 'per_customer.last_order_date', 'day') }}
            as last_order_gap_days,
        cast(round(per_customer.completed_revenue, 2) as decimal(18, 2)) as lifetime_completed_revenue,
        cast(round(per_customer.returned_revenue, 2) as decimal(18, 2)) as lifetime_returned_revenue,
        cast(round(greatest(per_customer.completed_revenue - per_customer.returned_revenue, 0), 2) as decimal(18, 2))
            as lifetime_net_revenue,
        cast(
            round(greatest(per_customer.completed_revenue_last_365d - per_customer.returned_revenue_last_365d, 0), 2)
            as decimal(18, 2)
        ) as net_revenue_last_365d,
        case
            when per_customer.orders_count > 0
                then cast({{ customer_segments.attr_round_ratio(
                    'per_customer.completed_revenue', 'per_customer.orders_count', 2
                ) }} as decimal(18, 2))
        end as average_order_value,
        case
            when per_customer.orders_count > 1
                then round(
                    {{ dbt.datediff('per_customer.first_order_date', 'per_customer.last_order_date', 'day') }}
                    / (per_customer.orders_count - 1.0),
                    2
                )
        end as avg_days_between_orders,
        case
            when per_customer.orders_count = 0 then null
            when
                per_customer.office_hours_orders
                >= {{ var('attr_time_profile_min_share') }} * per_customer.orders_count
                and per_customer.office_hours_orders > per_customer.evening_orders
                and per_customer.office_hours_orders > per_customer.weekend_orders
                then 'office_hours'
            when
                per_customer.evening_orders
                >= {{ var('attr_time_profile_min_share') }} * per_customer.orders_count
                and per_customer.evening_orders > per_customer.office_hours_orders
                and per_customer.evening_orders > per_customer.weekend_orders
                then 'evening'
            when
                per_customer.weekend_orders
                >= {{ var('attr_time_profile_min_share') }} * per_customer.orders_count
                and per_customer.weekend_orders > per_customer.office_hours_orders
                and per_customer.weekend_orders > per_customer.evening_orders
                then 'weekend'
            else 'mixed'
        end as purchase_time_profile,
        {{ attr_top_listed_value(
            listed_columns['source_system'],
            'per_customer.source_system_#_orders',
            'per_customer.source_system_#_last_at'
        ) }} as preferred_channel,
        {{ attr_top_listed_value(
            listed_columns['payment_method'],
            'per_customer.payment_method_#_orders',
            'per_customer.payment_method_#_last_at'
        ) }} as preferred_payment_method,
        case
            when per_customer.orders_count > 0
                then {{ customer_segments.attr_round_ratio(
                    'per_customer.discounted_orders_count', 'per_customer.orders_count', 4
                ) }}
        end as discount_sensitivity,
        case
            when per_customer.orders_count + per_customer.returned_orders_count > 0
                then round(
                    per_customer.returned_orders_count * 1.0
                    / (per_customer.orders_count + per_customer.returned_orders_count),
                    4
                )
        end as return_rate
    from per_customer
)

select * from final
