{% macro order_state_changed(since) -%}
    {#- For an incremental run of int_orders_converted: the order_id of every order to convert
        again since `since` (a timestamp literal): the order records base_raw ranked after it
        (a new order, a later version, a re-delivery), those int_records_keyed or
        int_records_resolved wrote after it (a new customer, a merge or a split moved them; a
        record keyed to an erased customer has no resolved row, so its held order goes) and
        the held orders whose (currency, order date) rate in int_order_date_fx_rates is no
        longer the rate held (a rate delivered late). -#}
    select changed.record_key as order_id
    from ({{ customer_segments.identity_changed_records(since, 'orders') }}) as changed
    union all
    select keyed.record_key as order_id
    from {{ ref('int_records_keyed') }} as keyed
    where keyed.source = 'orders' and keyed.computed_at > {{ since }}
    union all
    select resolved.record_key as order_id
    from {{ ref('int_records_resolved') }} as resolved
    where resolved.source = 'orders' and resolved.computed_at > {{ since }}
    union all
    select held.order_id
    from {{ this }} as held
    inner join {{ ref('int_order_date_fx_rates') }} as fx_rates
        on
            held.currency = fx_rates.currency
            and held.order_date = fx_rates.order_date
    where held.fx_rate_to_reporting is distinct from {{ customer_segments.order_fx_rate('fx_rates.fx_rate_to_reporting') }}
{%- endmacro %}


{% macro order_fx_rate(rate) -%}
    {#- `rate` (an fx rate of int_order_date_fx_rates) as int_orders_converted keeps it:
        decimal(18, 8) through its shortest text, since a double cast to a decimal rounds its
        binary value on DuckDB (0.000040705 -> 0.00004070) and its decimal text on Spark
        (-> 0.00004071). -#}
    cast(cast({{ rate }} as {{ dbt.type_string() }}) as decimal(18, 8))
{%- endmacro %}
