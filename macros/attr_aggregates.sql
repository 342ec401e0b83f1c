{% macro attr_min_by(value_expression, order_expressions) -%}
    {#- Aggregate: the value_expression of the row whose tuple of order_expressions is the
        smallest (compared element by element). One hash aggregation, no window. -#}
    {{ return(adapter.dispatch('attr_min_by', 'customer_segments')(value_expression, order_expressions)) }}
{%- endmacro %}

{% macro default__attr_min_by(value_expression, order_expressions) -%}
    min_by({{ value_expression }}, struct({{ order_expressions | join(', ') }}))
{%- endmacro %}

{% macro duckdb__attr_min_by(value_expression, order_expressions) -%}
    min_by({{ value_expression }}, row({{ order_expressions | join(', ') }}))
{%- endmacro %}


{% macro attr_epoch_microseconds(timestamp_expression) -%}
    {#- Microseconds since 1970-01-01 00:00:00 UTC of a timestamp, as a big integer. -#}
    {{ return(adapter.dispatch('attr_epoch_microseconds', 'customer_segments')(timestamp_expression)) }}
{%- endmacro %}

{% macro default__attr_epoch_microseconds(timestamp_expression) -%}
    unix_micros({{ timestamp_expression }})
{%- endmacro %}

{% macro duckdb__attr_epoch_microseconds(timestamp_expression) -%}
    epoch_us({{ timestamp_expression }})
{%- endmacro %}


{% macro attr_second_largest(expression) -%}
    {#- Aggregate: the second largest non-null value of expression (equal to the largest when
        the largest occurs twice); null with fewer than two values. No window, no self-join. -#}
    {{ return(adapter.dispatch('attr_second_largest', 'customer_segments')(expression)) }}
{%- endmacro %}

{% macro default__attr_second_largest(expression) -%}
    try_element_at(sort_array(collect_list({{ expression }}), false), 2)
{%- endmacro %}

{% macro duckdb__attr_second_largest(expression) -%}
    max({{ expression }}, 2)[2]
{%- endmacro %}


{% macro attr_sorted_list(expression, delimiter) -%}
    {#- The group's values as one text, sorted, joined by delimiter (Spark's listagg ignores
        an order by). -#}
    {{ return(adapter.dispatch('attr_sorted_list', 'customer_segments')(expression, delimiter)) }}
{%- endmacro %}

{% macro default__attr_sorted_list(expression, delimiter) -%}
    array_join(array_sort(collect_list({{ expression }})), {{ customer_segments.sql_string(delimiter) }})
{%- endmacro %}

{% macro duckdb__attr_sorted_list(expression, delimiter) -%}
    string_agg({{ expression }}, {{ customer_segments.sql_string(delimiter) }} order by {{ expression }})
{%- endmacro %}
